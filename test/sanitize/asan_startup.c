/*
 * Preloaded after libasan so that PostgreSQL's programs start under AddressSanitizer on Debian 12.
 *
 * Without it every PostgreSQL binary hangs at start-up: p11-kit's constructor (reached through
 * libldap and gnutls) calls malloc before ASan has initialised, ASan initialises inside that call
 * and looks up the optional symbol swift_demangle with dlsym; after that failed lookup the
 * program's own bindtextdomain() waits forever on glibc's locale lock (_nl_state_lock, seen
 * with gdb). Defining the symbol makes the lookup succeed and the hang goes away. Returning NULL means "not a Swift name", so
 * ASan's reports are demangled as before.
 */
#include <stddef.h>
#include <stdint.h>

char *swift_demangle(const char *mangled, size_t mangled_length, char *output,
                     size_t *output_length, uint32_t flags);

char *
swift_demangle(const char *mangled, size_t mangled_length, char *output,
               size_t *output_length, uint32_t flags)
{
	(void) mangled;
	(void) mangled_length;
	(void) output;
	(void) output_length;
	(void) flags;
	return NULL;
}
