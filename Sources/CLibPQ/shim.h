#ifndef COORD_MIGRATE_CLIBPQ_SHIM_H
#define COORD_MIGRATE_CLIBPQ_SHIM_H
/* Types and constants only: the functions are looked up with dlsym when a
   PostgreSQL database is first measured (LibPQ.swift), so the binary neither
   loads libpq on every run nor needs it installed to start. */
#if __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>  /* Debian, Ubuntu */
#else
#include <libpq-fe.h>
#endif
#endif
