# Keyward: the two quick-start commands and the build steps behind them.
#   make dev    install what is missing, build, and start Keyward on a local dev state directory
#   make test   install what is missing, build with warnings as errors, and run every test

SWIFT ?= swift
DEV_STATE ?= $(CURDIR)/dev-state
BUILD_FLAGS ?= -Xswiftc -warnings-as-errors

.PHONY: deps build dev test interop lint format clean

deps:
	scripts/install-deps

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

dev: build
	scripts/dev "$(DEV_STATE)"

test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	scripts/lint
	$(SWIFT) test --skip-build --no-parallel
	scripts/interop

interop: build
	scripts/interop

lint:
	scripts/lint

format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Tests

clean:
	rm -rf .build
