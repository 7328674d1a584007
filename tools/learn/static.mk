# SPDX-License-Identifier: GPL-2.0
# Shared by the Makefiles under tools/ that build static programs (they
# also run in the VM).  Set NAME, the directory under build/, first:
#
#   NAME := examples
#   include ../static.mk
#
# Gives TOP (the repository), OUTPUT (overridable: make OUTPUT=dir), CC,
# CFLAGS, CPPFLAGS (module/uapi and tools/user/lib) and LDFLAGS.
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../..)
OUTPUT ?= $(TOP)/build/$(NAME)
override OUTPUT := $(abspath $(OUTPUT))
ifeq ($(origin CC),default)
CC := gcc
endif
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror
CPPFLAGS += -I$(TOP)/module/uapi -I$(TOP)/tools/user/lib
LDFLAGS += -static
