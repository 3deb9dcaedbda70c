# Keyward: the two quick-start commands and the build steps behind them.
#   make dev    install what is missing, build, and start Keyward on a local dev state directory
#   make check  the inner loop: build with warnings as errors and run the unit tests (no package
#               installs, no integration, interop, gauntlet or fuzzing); a few minutes at most
#   make test   install what is missing, build with warnings as errors, run every test, the
#               SDK interop tests and the reliability gauntlet (--quick: 200 kills, 20 s of
#               fuzzing per target), and the Debian package (built, checked with lintian, installed,
#               upgraded and purged under a real systemd with no toolchain)
#   make deb    the Debian package: .build/deb/keyward_VERSION_amd64.deb and its -dbgsym

SWIFT ?= swift
DEV_STATE ?= $(CURDIR)/dev-state
BUILD_FLAGS ?= -Xswiftc -warnings-as-errors

# The unit-test targets (Swift Testing matches the filter against "Module.Suite/test").
UNIT_TESTS ?= KeywardCryptoTests|KeywardCoreTests|KeywardConfigurationTests|KeywardServerTests|KeywardSystemdTests|KeywardCtlTests|KeywarddTests|KeywardFuzzRegressionTests

.PHONY: deps build dev check test interop lint format clean release install deb package-test bench gauntlet fuzz

deps:
	scripts/install-deps

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

dev: build
	scripts/dev "$(DEV_STATE)"

check:
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build --filter '$(UNIT_TESTS)'

test:
	scripts/install-deps --test
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	scripts/lint
	$(SWIFT) test --skip-build --no-parallel
	scripts/interop
	scripts/package-test
	scripts/gauntlet --quick "$$($(SWIFT) build --show-bin-path)"

interop: build
	scripts/interop

lint:
	scripts/lint

format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Tests

# The release build that ships: the Swift runtime and Foundation linked statically, so the
# binaries run on a host without a toolchain (scripts/build-release says which flags and why).
# install puts it into $(DESTDIR)$(PREFIX) the FHS way: binaries, units, sysusers/tmpfiles,
# the example configuration (never over an existing one), docs and shell completions.
# Then: systemd-sysusers; systemd-tmpfiles --create; keywardctl init; systemctl enable --now keywardd.socket
# deb builds the Debian package from the same build (docs/operations.md, "Install").
PREFIX ?= /usr
release: deps
	scripts/build-release

install: release
	scripts/install "$(DESTDIR)" "$(PREFIX)" "$$(scripts/build-release)"

deb:
	scripts/deb

package-test:
	scripts/install-deps --test
	scripts/package-test

# Benchmarks against redis, OpenSSL, ssh-agent and the fleet (docs/performance.md); the full gauntlet.
bench:
	scripts/bench all

gauntlet: build
	scripts/gauntlet

# libFuzzer over the HTTP pipeline, JSON bodies, key parsers and vault reader, 10 min each.
fuzz: deps
	scripts/fuzz --time 600

clean:
	rm -rf .build
