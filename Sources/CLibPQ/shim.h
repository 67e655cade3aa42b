#ifndef COORD_MIGRATE_CLIBPQ_SHIM_H
#define COORD_MIGRATE_CLIBPQ_SHIM_H
/* Debian installs the header under /usr/include/postgresql (pkg-config libpq adds it). */
#include <libpq-fe.h>
#endif
