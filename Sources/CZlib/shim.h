// zlib from Debian's zlib1g-dev (scripts/setup installs it).
#include <zlib.h>
