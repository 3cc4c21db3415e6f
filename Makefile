# Thin wrapper around CMake.  The two commands for a fresh machine:
#   make test    install deps, build, run every test
#   make bench   install deps, build, run the default (quick) suite
BUILD ?= build
SUITE ?= quick
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all build deps test bench report kernel-deps kernel-check \
	kernel-smoke kernel-matrix qemu-static qemu-bench qemu-compare qemu-smoke \
	harness-overhead pool-shell-check cover-letter tlbsim tlbsim-plugin \
	tlbsim-negative fleet fleet-check stock-6.12-vs-7.2 format clean

all: build

deps:
	@scripts/deps.sh test

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

# Ends with the HVO off/on finding of the run and the full report's path.
bench: build
	@scripts/bench-headline $(BUILD)/hvobench --suite=$(SUITE) $(BENCH_FLAGS)

report: build
	$(BUILD)/hvobench report $(A) $(B) $(REPORT_FLAGS)

# Kernels: stock and patched, x86_64 and arm64, checked in QEMU.
kernel-deps:
	scripts/kernel-deps.sh

kernel-check:
	scripts/kernel-check.sh

kernel-smoke:
	scripts/kernel-check.sh --quick

# The cover letter's data section, filled from results/ (fails on a missing
# input; ALLOW_MISSING=1 writes the section with lines saying what is missing).
cover-letter:
	scripts/cover-letter-data.py $(if $(ALLOW_MISSING),--allow-missing)

# The verification matrix (scripts/matrix/rows): configs x arches x kernels,
# with events during the stress; ROWS=REGEX picks rows.
kernel-matrix:
	scripts/kernel-matrix.sh $(if $(ROWS),--rows '$(ROWS)')

# Stock 6.12.117 vs stock 7.2.13 HVO pool cost in QEMU (x86_64; results/kernel/stock-6.12-vs-7.2/).
stock-6.12-vs-7.2: build
	scripts/stock-6.12-vs-7.2.sh $(if $(ROUNDS),--rounds $(ROUNDS))

# hvobench inside QEMU guests: one kernel, or two compared.
ARCH ?= x86_64
qemu-static:
	scripts/static-build.sh --arch $(ARCH)

qemu-bench:
	scripts/qemu-bench.sh --arch $(ARCH) $(if $(KERNEL),--kernel $(KERNEL)) \
		$(if $(FILTER),--filter '$(FILTER)') \
		$(if $(APPEND),--append '$(APPEND)') $(if $(OUT),--out $(OUT))

qemu-compare: build
	scripts/qemu-compare.sh --arch $(ARCH) $(if $(PRESET),--preset $(PRESET)) \
		$(if $(KA),--ka $(KA)) $(if $(KB),--kb $(KB)) \
		$(if $(FILTER),--filter '$(FILTER)') --rounds $(or $(ROUNDS),2) \
		$(if $(OUT),--out $(OUT))

qemu-smoke:
	scripts/qemu-bench.sh --smoke --arch $(ARCH) --out /tmp/hvobench-qemu-smoke-$(ARCH)

harness-overhead: build
	scripts/harness-overhead

# Pool grow/shrink timed by plain shell writes vs hvobench (as root).
pool-shell-check: build
	scripts/pool-shell-check --hvobench=$(BUILD)/hvobench $(SHELL_CHECK_FLAGS)

# vmemmap TLB misses by simulation (bench/tlbsim/README.md): the plugin
# only, or the recorded runs: a PMD boot and a vmemmap_basepages boot of
# the patched kernel under the plugin, merged, calibrated, compared.
TLBSIM_FILTER ?= ^(tlbsim/|tlb/struct-page/vmemmap:pmd/.*/pages:64K$$|pool/(grow|shrink)/size:2M/pages:64/|fault/first-touch/size:2M/map:private/access:write/|gup/gup-test/size:4K/op:pin-fast/pages:512/mem:64M/)
TLBSIM_OUT ?= results/tlbsim/$(ARCH)
TLBSIM_SENS ?= $(if $(filter arm64,$(ARCH)),n1,glc)
# zen5-nc: Zen 5 without coalescing, to show what coalescing contributes.
# The vmemmap_basepages boot checks model-free numbers: one model is enough.
TLBSIM_MODELS ?= $(if $(filter arm64,$(ARCH)),n1:v2,glc:zen5:zen5-nc)
# QEMU's arm64 CPUs lack BBML2_NOABORT: the patched kernel refuses HVO
# without its (tainting) debug override, and the hvo:on rows would fail.
TLBSIM_APPEND ?= $(if $(filter arm64,$(ARCH)),hvo_debug_assume_bbml2_noabort)
tlbsim-plugin:
	scripts/tlbsim-plugin.sh

tlbsim: build
	scripts/tlbsim-run.sh --arch $(ARCH) --filter '$(TLBSIM_FILTER)' \
		--models $(TLBSIM_MODELS) --sens $(TLBSIM_SENS) --out $(TLBSIM_OUT)/pmd $(if $(KERNEL),--kernel $(KERNEL)) \
		$(if $(TLBSIM_APPEND),--append '$(TLBSIM_APPEND)')
	scripts/tlbsim-run.sh --arch $(ARCH) --filter '$(TLBSIM_FILTER)' \
		--models $(firstword $(subst :, ,$(TLBSIM_MODELS))) --append '$(strip $(TLBSIM_APPEND) vmemmap_basepages)' --out $(TLBSIM_OUT)/basepages \
		$(if $(KERNEL),--kernel $(KERNEL))
	scripts/tlbsim-merge.py same $(TLBSIM_OUT)/pmd/result.json \
		$(TLBSIM_OUT)/basepages/result.json | tee $(TLBSIM_OUT)/same.txt

tlbsim-negative:
	scripts/tlbsim-negative.sh

# Every host of an Ansible inventory: deps, build, run SUITE, fetch, and
# import into the local store (scripts/fleet --help).
fleet: build
	scripts/fleet -i '$(INVENTORY)' --suite=$(SUITE) --runs=$(or $(RUNS),1) \
		$(FLEET_FLAGS)

# it/fleet_ansible with the sources built on each local host (~90 s; CI
# runs the quick mode, which copies this build's binary).
fleet-check: build
	cd $(BUILD) && HVOBENCH_FLEET_BUILD=1 ctest -R '^it/fleet_ansible$$' \
		--output-on-failure

# make install [PREFIX=/usr/local] [DESTDIR=staging dir]
PREFIX ?= /usr/local
install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# A Debian package (debian/, dpkg-buildpackage), placed in $(DEB_OUT).
DEB_OUT ?= $(BUILD)/deb
deb:
	scripts/make-deb $(DEB_OUT)

format:
	clang-format -i $$(git ls-files 'bench/*.c' 'bench/*.h')

clean:
	rm -rf $(BUILD)
