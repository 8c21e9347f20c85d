#include "glpk_guard.h"
