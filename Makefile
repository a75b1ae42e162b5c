# The two commands of README's quick start. Both install missing Debian packages first.
BUILD_PACKAGES := libcurl4-openssl-dev pkg-config
TEST_PACKAGES := $(BUILD_PACKAGES) chromium chromium-driver tmux openssl iproute2 gcc python3-venv

.PHONY: dev test build bench fuzz

# Build, then sign in against the built-in PDS-compatible dev server.
dev:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build
	.build/debug/pds-auth login --dev

# Every test: unit, in-process round trips, CLI processes, the headless-Chromium test,
# about a minute of libFuzzer per fuzz target (scripts/fuzz), and the interop test against
# django-oauth-toolkit (Tests/Interop/setup installs it into .build-interop/venv, from
# PyPI). The hostile-load test runs last and alone: its one-second bound measures the
# listener, not its neighbours.
test:
	@scripts/ensure-packages $(TEST_PACKAGES)
	swift build --build-tests
	scripts/fuzz
	Tests/Interop/setup
	swift test --skip-build --filter HostileLoadTests
	swift test --skip-build --skip HostileLoadTests

build:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build -c release

bench:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	scripts/bench

# The documented longer fuzzing run: ten minutes per target.
fuzz:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	FUZZ_SECONDS=600 scripts/fuzz
