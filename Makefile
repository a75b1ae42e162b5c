# The two commands of README's quick start. Both install missing Debian packages first.
BUILD_PACKAGES := libcurl4-openssl-dev pkg-config
TEST_PACKAGES := $(BUILD_PACKAGES) chromium chromium-driver tmux openssl iproute2 gcc
# scripts/bench: a venv for the Python yardsticks (google-auth from PyPI), readelf, and a C
# compiler with a static libc for its small launcher (scripts/bench-spawn.c).
BENCH_PACKAGES := $(BUILD_PACKAGES) python3-venv binutils gcc libc6-dev

.PHONY: dev test build bench fuzz

# Build, then sign in against the built-in PDS-compatible dev server.
dev:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build
	.build/debug/pds-auth login --dev

# Every test: unit, in-process round trips, CLI processes, the headless-Chromium test,
# and about a minute of libFuzzer per fuzz target (scripts/fuzz). The hostile-load test
# runs last and alone: its one-second bound measures the listener, not its neighbours.
test:
	@scripts/ensure-packages $(TEST_PACKAGES)
	swift build --build-tests
	scripts/fuzz
	swift test --skip-build --filter HostileLoadTests
	swift test --skip-build --skip HostileLoadTests

build:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build -c release

# Figures against yardsticks measured in the same run (a static Swift floor, Python
# google-auth, cat), as a markdown table; reports, never asserts. Options via BENCH_ARGS,
# e.g. `make bench BENCH_ARGS=--quick`.
bench:
	@scripts/ensure-packages $(BENCH_PACKAGES)
	$(MAKE) release
	scripts/bench --binary .build/release/pds-auth $(BENCH_ARGS)

# The documented longer fuzzing run: ten minutes per target.
fuzz:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	FUZZ_SECONDS=600 scripts/fuzz
