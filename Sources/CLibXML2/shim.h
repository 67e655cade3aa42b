#ifndef COORD_MIGRATE_CLIBXML2_SHIM_H
#define COORD_MIGRATE_CLIBXML2_SHIM_H
// libxml2's headers pull in ICU when it was built with ICU support; ICU's types
// then clash with the copy Foundation carries ("'UErrorCode' has different
// definitions in different modules"). Read the feature flags first and switch
// the ICU part off before any other libxml2 header is seen.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlstring.h>
#include <libxml/parser.h>
#endif
