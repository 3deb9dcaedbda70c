# Keyward: the two quick-start commands and the build steps behind them.
#   make dev    install what is missing, build, and start Keyward on a local dev state directory
#   make check  the inner loop: build with warnings as errors and run the unit tests (no package
#               installs, no integration, interop, gauntlet or fuzzing); a few minutes at most
#   make test   install what is missing, build with warnings as errors, run every test, the
#               SDK interop tests and the reliability gauntlet (--quick: 200 kills, 20 s of
#               fuzzing per target)

SWIFT ?= swift
DEV_STATE ?= $(CURDIR)/dev-state
BUILD_FLAGS ?= -Xswiftc -warnings-as-errors

# The unit-test targets (Swift Testing matches the filter against "Module.Suite/test").
UNIT_TESTS ?= KeywardCryptoTests|KeywardCoreTests|KeywardConfigurationTests|KeywardServerTests|KeywardSystemdTests|KeywardCtlTests|KeywarddTests|KeywardFuzzRegressionTests

.PHONY: deps build dev check test interop lint format clean release install bench gauntlet fuzz

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
	scripts/gauntlet --quick "$$($(SWIFT) build --show-bin-path)"

interop: build
	scripts/interop

lint:
	scripts/lint

format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Tests

# Installs into $(DESTDIR)$(PREFIX) the FHS way: binaries, units, sysusers/tmpfiles,
# the example configuration (never over an existing one), docs and shell completions.
# Then: systemd-sysusers; systemd-tmpfiles --create; keywardctl init; systemctl enable --now keywardd.socket
PREFIX ?= /usr
release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

install: release
	scripts/install "$(DESTDIR)" "$(PREFIX)" "$$($(SWIFT) build -c release --show-bin-path)"

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
