# The two commands of README's quick start. Both install missing Debian packages first.
BUILD_PACKAGES := libcurl4-openssl-dev pkg-config
TEST_PACKAGES := $(BUILD_PACKAGES) chromium chromium-driver tmux openssl

.PHONY: dev test build bench

# Build, then sign in against the built-in PDS-compatible dev server.
dev:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build
	.build/debug/pds-auth login --dev

# Every test: unit, in-process round trips, CLI processes, the headless-Chromium test.
test:
	@scripts/ensure-packages $(TEST_PACKAGES)
	swift build --build-tests
	swift test

build:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build -c release

bench:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	scripts/bench
