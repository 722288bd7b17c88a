# SPDX-License-Identifier: GPL-2.0
#
# swaptrack entry points.  The module is described by Kbuild; the recipes
# here only call the scripts under scripts/.
#
#	make			build swaptrack.ko for $(TARGET) (amd64-6.12)
#	make KDIR=/path		build it against that prepared header tree
#	make check		every test on every target of scripts/targets
#	make check TARGETS=amd64-6.12	only these targets
#	make check TARGETS=amd64-6.12-debug	the suite on a KASAN/lockdep kernel
#			built once into the cache (scripts/build-kernel.sh)
#	make demo		boot the 6.12 VM and run scripts/demo.sh in it
#	make bench		the benchmark (bench/bench.c) on amd64-6.12 and
#			arm64-6.12, or on TARGETS=...
#	make install		build for the running kernel (or KDIR=) and
#			install it with modules_install, then depmod
#	make clean		remove out/ (the download cache stays)
#
# Downloads are cached in $(ST_CACHE) (default ~/.cache/swaptrack).

TARGET	?= amd64-6.12
TARGETS	?=
KDIR	?=

S := scripts

.PHONY: all module check demo bench install clean

all: module

module:
	@$(S)/module.sh $(TARGET) $(KDIR)

check:
	@$(S)/check.sh $(TARGETS)

demo:
	@$(S)/demo-vm.sh $(TARGET)

# make bench TARGET=x is TARGETS=x
bench:
	@$(S)/bench.sh $(or $(TARGETS),$(if $(filter command line,$(origin TARGET)),$(TARGET)))

install:
	@$(S)/install.sh $(KDIR)

clean:
	rm -rf out
