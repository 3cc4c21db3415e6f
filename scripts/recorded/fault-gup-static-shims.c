/* No udev in the QEMU guest: hwloc copes with udev_new() == NULL. */
#include <stddef.h>
void *udev_new(void) { return NULL; }
void *udev_unref(void *u) { (void)u; return NULL; }
void *udev_device_new_from_subsystem_sysname(void *u, const char *a, const char *b) { (void)u; (void)a; (void)b; return NULL; }
const char *udev_device_get_property_value(void *d, const char *k) { (void)d; (void)k; return NULL; }
void *udev_device_unref(void *d) { (void)d; return NULL; }
/* Guest verification only: the trimmed kernel has no CONFIG_FILE_LOCKING. */
int flock(int fd, int op) { (void)fd; (void)op; return 0; }
