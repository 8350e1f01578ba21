# ravpn: `make` builds, `make check` runs every test, `make demo` runs the lab.
# Each target installs the Debian packages it needs (scripts/deps.sh).
BUILD ?= build

.PHONY: all build check demo clean deps-build

all: build

deps-build:
	@sh scripts/deps.sh build

$(BUILD)/build.ninja:
	@sh scripts/deps.sh build
	meson setup $(BUILD) -Db_sanitize=address,undefined -Db_lundef=false

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

check:
	@sh scripts/deps.sh check
	@sh tests/run-all.sh

demo:
	@sh scripts/deps.sh demo
	@$(MAKE) --no-print-directory build
	@sh tests/lab/demo.sh

clean:
	rm -rf $(BUILD) build-fuzz
