#ifndef COORD_MIGRATE_CSQLITE_SHIM_H
#define COORD_MIGRATE_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
