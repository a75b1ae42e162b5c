# The two commands of README's quick start. Both install missing Debian packages first.
# libsecret-1-dev: the Secret Service client the `secret-service` store opens at run time
# (CSecret's provider; its headers check CSecretLoader's declarations in SecretABITests).
BUILD_PACKAGES := libcurl4-openssl-dev libsecret-1-dev pkg-config
# A real Secret Service for the secret-service tests: a private dbus-daemon with GNOME
# Keyring on it, secret-tool to check its items, python3-gi for a peer that plays a hostile
# service or unlocks the keyring as a login would.
SECRET_SERVICE_PACKAGES := dbus gnome-keyring libsecret-tools python3-gi
# zbar-tools reads back the device grant's QR codes; man-db and mandoc render and lint the
# manual page; zsh and fish run the completion tests.
TEST_PACKAGES := $(BUILD_PACKAGES) $(SECRET_SERVICE_PACKAGES) chromium chromium-driver tmux openssl iproute2 gcc python3-venv \
	zbar-tools man-db mandoc zsh fish
# scripts/bench: a venv for the Python yardsticks (google-auth from PyPI), readelf, and a C
# compiler with a static libc for its small launcher (scripts/bench-spawn.c).
BENCH_PACKAGES := $(BUILD_PACKAGES) $(SECRET_SERVICE_PACKAGES) python3-venv binutils gcc libc6-dev
# scripts/startup-order: the bench's (it uses its dev server and browser) and callgrind.
ORDER_PACKAGES := $(BENCH_PACKAGES) valgrind

PREFIX ?= /usr/local
DESTDIR ?=
# Where `make test` installs the release binary to run the end-to-end tests against it.
TEST_PREFIX := $(CURDIR)/.build-install

# The shipped binary: the Swift runtime and FoundationEssentials linked in
# (--static-swift-stdlib; nothing imports full Foundation, so neither it nor ICU is), so it
# runs on Debian without Swift and without a run path into a toolchain; linked by lld
# with packed relative relocations, no exported symbols and no symbol table, which make it
# smaller and quicker to load. libcurl is not among its needs: it is opened on first use.
# libstdc++ and the unwinder are linked in too (the GCC Runtime Library Exception allows
# it): STATIC_CXX holds libstdc++.a and, under libgcc_s's name, libgcc_eh.a, and is searched
# first. The binary then needs only libc and libm, and `token` starts about 15% sooner.
# Optimised for size (-Osize), every function in a section of its own (so the linker drops
# unused ones one by one, and can place each), and the code the measured commands run laid
# out together (STARTUP_ORDER, written by `make startup-order`): 3.4 MB smaller, and a
# sixth to a third less memory (README, "Performance"). The Swift driver does not rebuild objects
# for a changed -Xfrontend flag: after changing these, remove .build/x86_64-unknown-linux-gnu/release.
STATIC_CXX := $(CURDIR)/.build-static-cxx
STARTUP_ORDER := scripts/startup-order.txt
BUILD_FLAGS := -c release --product pds-auth --static-swift-stdlib --disable-local-rpath \
	-Xswiftc -Osize -Xswiftc -Xfrontend -Xswiftc -function-sections \
	-Xcc -ffunction-sections -Xcc -fdata-sections \
	-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
	-Xlinker --no-export-dynamic -Xlinker -L$(STATIC_CXX) \
	-Xlinker --symbol-ordering-file=$(CURDIR)/$(STARTUP_ORDER) -Xlinker --no-warn-symbol-ordering
RELEASE_FLAGS := $(BUILD_FLAGS) -Xlinker -s
RELEASE_BINARY := .build/release/pds-auth

.PHONY: dev test format release install uninstall manpage bench fuzz startup-order

# Build what it runs, then sign in against the built-in PDS-compatible dev server.
dev:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	swift build --product pds-auth
	.build/debug/pds-auth login --dev

# Every test: the formatting (swift-format, below), unit, in-process round trips, CLI
# processes, the headless-Chromium test, about a minute of libFuzzer per fuzz target (scripts/fuzz), and the interop test against
# django-oauth-toolkit (Tests/Interop/setup installs it into .build-interop/venv, from
# PyPI). The end-to-end tests run the installed release binary (PDS_AUTH_INSTALLED), so
# they test what `make install` ships; InstalledBinaryTests checks the installation itself.
# The hostile-load test runs alone (its one-second bound measures the listener, not its
# neighbours), and so does the interop test (its Python server is the heaviest neighbour).
# Should the test runner crash, Swift's backtracer prints only the crashed thread, without
# registers or the image list: the frames that matter end up at the tail of CI's output.
test: export SWIFT_BACKTRACE = threads=crashed,registers=none,images=none
test:
	@scripts/ensure-packages $(TEST_PACKAGES)
	swift format lint --strict --recursive --parallel $(SWIFT_SOURCES)
	swift build --build-tests
	rm -rf $(TEST_PREFIX)
	$(MAKE) install PREFIX=$(TEST_PREFIX)
	scripts/fuzz
	Tests/Interop/setup
	PDS_AUTH_INSTALLED=$(TEST_PREFIX) swift test --skip-build --filter HostileLoadTests
	PDS_AUTH_INSTALLED=$(TEST_PREFIX) swift test --skip-build --filter DjangoOAuthToolkitTests
	PDS_AUTH_INSTALLED=$(TEST_PREFIX) swift test --skip-build --skip HostileLoadTests --skip DjangoOAuthToolkitTests

# The tree's layout is swift-format's, as configured in .swift-format (lines up to 150):
# `make format` rewrites the sources to it, and `make test` fails first when one differs.
SWIFT_SOURCES := Package.swift Sources Tests Plugins Fuzz
format:
	swift format format --in-place --recursive --parallel $(SWIFT_SOURCES)

# SwiftPM does not know that the link reads STARTUP_ORDER: a newer order means a new link.
release:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	scripts/static-cxx $(STATIC_CXX)
	@if [ $(STARTUP_ORDER) -nt $(RELEASE_BINARY) ]; then rm -f $(RELEASE_BINARY); fi
	swift build $(RELEASE_FLAGS)

# The binary, completions for bash, zsh and fish (written by the binary itself, from
# swift-argument-parser) and the manual page (Docs/pds-auth.1, see `manpage`). Builds the
# release binary only when it is missing or older than a source, so `make release && sudo
# make install` works where root's PATH has no Swift (and leaves no root-owned .build/).
# The directories install creates that did not exist are listed (relative to PREFIX) in
# share/pds-auth/created-directories, so that uninstall removes them again when empty and
# never a directory that was there before.
INSTALL_DIRS := bin share/man/man1 share/bash-completion/completions share/zsh/site-functions \
	share/fish/vendor_completions.d share/pds-auth
install:
	@if [ ! -x $(RELEASE_BINARY) ] || [ -n "$$(find Sources Public Package.swift Makefile $(STARTUP_ORDER) -newer $(RELEASE_BINARY) -print -quit)" ]; then \
		$(MAKE) release; fi
	@root="$(DESTDIR)$(PREFIX)"; manifest="$$root/share/pds-auth/created-directories"; created=""; \
	for d in $(INSTALL_DIRS); do p="$$d"; while [ "$$p" != "." ] && [ ! -d "$$root/$$p" ]; do created="$$created $$p"; p=$$(dirname "$$p"); done; done; \
	install -d $(addprefix "$$root"/,$(INSTALL_DIRS)); \
	{ [ -f "$$manifest" ] && cat "$$manifest"; for p in $$created; do echo "$$p"; done; } | sort -u > "$$manifest.new" && mv "$$manifest.new" "$$manifest"
	install -m 0755 $(RELEASE_BINARY) $(DESTDIR)$(PREFIX)/bin/pds-auth
	install -m 0644 Docs/pds-auth.1 $(DESTDIR)$(PREFIX)/share/man/man1/pds-auth.1
	$(RELEASE_BINARY) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/pds-auth
	$(RELEASE_BINARY) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pds-auth
	$(RELEASE_BINARY) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/pds-auth.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pds-auth $(DESTDIR)$(PREFIX)/share/man/man1/pds-auth.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pds-auth \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pds-auth \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/pds-auth.fish
	@root="$(DESTDIR)$(PREFIX)"; manifest="$$root/share/pds-auth/created-directories"; \
	if [ -f "$$manifest" ]; then list=$$(cat "$$manifest"); rm -f "$$manifest"; \
		for p in $$(printf '%s\n' $$list | awk '{ print length($$0) " " $$0 }' | sort -rn | cut -d' ' -f2-); do \
			rmdir "$$root/$$p" 2>/dev/null || true; done; fi

# Regenerates Docs/pds-auth.1 (scripts/manpage): the hand-written Docs/pds-auth.1.in, the
# commands and options from the debug build's own help (swift-argument-parser's
# --experimental-dump-help) and the EXIT STATUS table from ExitStatus.swift. Dated by the
# last commit. ManualPageTests regenerates it and fails when the committed page differs, and
# renders it with man and `mandoc -T lint`, failing on any warning.
manpage:
	@scripts/ensure-packages $(BUILD_PACKAGES) python3
	swift build --product pds-auth
	scripts/manpage --binary .build/debug/pds-auth --date $$(git log -1 --format=%cs) > Docs/pds-auth.1.new
	mv Docs/pds-auth.1.new Docs/pds-auth.1

# Figures against yardsticks measured in the same run (a static Swift floor, Python
# google-auth, cat), as a markdown table; reports, never asserts. Options via BENCH_ARGS,
# e.g. `make bench BENCH_ARGS=--quick`.
bench:
	@scripts/ensure-packages $(BENCH_PACKAGES)
	$(MAKE) release
	scripts/bench --binary .build/release/pds-auth $(BENCH_ARGS)

# Rewrites STARTUP_ORDER from the code as it is now (scripts/startup-order says how), then
# links the release binary with it. The profile needs the symbol table, so the same build
# is first linked without stripping it (a few seconds: the links run again, and the one
# module the build plugin writes into, since its tool is linked with the same flags).
startup-order:
	@scripts/ensure-packages $(ORDER_PACKAGES)
	scripts/static-cxx $(STATIC_CXX)
	swift build $(BUILD_FLAGS) -Xlinker --strip-debug
	scripts/startup-order $(RELEASE_BINARY)
	$(MAKE) release

# The documented longer fuzzing run: ten minutes per target.
fuzz:
	@scripts/ensure-packages $(BUILD_PACKAGES)
	FUZZ_SECONDS=600 scripts/fuzz
