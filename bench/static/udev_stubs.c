// SPDX-License-Identifier: GPL-2.0
/*
 * libudev stubs for the static hvobench (cmake -DHVOBENCH_STATIC=ON), which
 * runs as the only program in a QEMU guest's initramfs.
 *
 * Debian's libhwloc.a calls libudev to name block devices, and libudev has
 * no static library.  A guest without udev has nothing to ask anyway, and
 * hwloc treats udev_new() == NULL as "no udev" and carries on, so these
 * stubs only have to say that.  Built in the static mode only: the normal
 * build links the shared libhwloc and the real libudev.
 */
#include <stddef.h>

struct udev;
struct udev_device;

struct udev *udev_new(void);
struct udev *udev_unref(struct udev *udev);
struct udev_device *
udev_device_new_from_subsystem_sysname(struct udev *udev, const char *subsystem,
				       const char *sysname);
const char *udev_device_get_property_value(struct udev_device *dev,
					   const char *key);
struct udev_device *udev_device_unref(struct udev_device *dev);

struct udev *udev_new(void)
{
	return NULL;
}

struct udev *udev_unref(struct udev *udev)
{
	(void)udev;
	return NULL;
}

struct udev_device *
udev_device_new_from_subsystem_sysname(struct udev *udev, const char *subsystem,
				       const char *sysname)
{
	(void)udev;
	(void)subsystem;
	(void)sysname;
	return NULL;
}

const char *udev_device_get_property_value(struct udev_device *dev,
					   const char *key)
{
	(void)dev;
	(void)key;
	return NULL;
}

struct udev_device *udev_device_unref(struct udev_device *dev)
{
	(void)dev;
	return NULL;
}
