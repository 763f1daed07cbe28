/*
 * compat.h — included first in every translation unit (-include): the system
 * headers whose functions banned.h bans, then banned.h itself, so a banned
 * call anywhere in our code fails to compile.
 */
#ifndef ITSM_COMPAT_H
#define ITSM_COMPAT_H

#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/banned.h"

#endif
