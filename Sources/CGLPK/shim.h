// GLPK from Debian's libglpk-dev (scripts/setup installs it). Debian ships no pkg-config
// file for GLPK, so the module map links it by name. Only the solver module may import this.
#include <glpk.h>
