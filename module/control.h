/* SPDX-License-Identifier: GPL-2.0 */
/* minipipe — /dev/minipipe-ctl, the node that makes anonymous pipes (control.c). */
#ifndef MINIPIPE_CONTROL_H
#define MINIPIPE_CONTROL_H

#include <linux/types.h>

int mp_control_register(umode_t mode);
void mp_control_unregister(void);

#endif /* MINIPIPE_CONTROL_H */
