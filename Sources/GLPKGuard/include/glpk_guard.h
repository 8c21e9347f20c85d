// Calls into GLPK under an error hook, so that a GLPK error (which would print and abort the
// process) returns an error code instead. See glpk_guard.c.
#ifndef TRANSIT_GLPK_GUARD_H
#define TRANSIT_GLPK_GUARD_H
#include <glpk.h>
#endif
