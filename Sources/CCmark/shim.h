#ifndef COORD_MIGRATE_CCMARK_SHIM_H
#define COORD_MIGRATE_CCMARK_SHIM_H
#include <cmark.h>
#endif
