# itareport — build, test and hygiene targets. See README.md.
# Everything is built under build/; sanitizer builds under build/asan/.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKGS := yaml-0.1 harfbuzz harfbuzz-subset freetype2 libthai datrie-0.2 libpng libjpeg libxxhash \
        libdeflate libmicrohttpd
# libmicrohttpd is not linked but loaded by `serve` (src/server.c): its header is used, its
# soname read from the installed library (with GnuTLS and what that brings, linking it cost
# every command 2 ms).
LINKED_PKGS := $(filter-out libmicrohttpd,$(PKGS))
MHD_SONAME = $(shell objdump -p "$$(pkg-config --variable=libdir libmicrohttpd 2>/dev/null)/libmicrohttpd.so" \
               2>/dev/null | awk '/SONAME/ {print $$2}')
# libharu ships no pkg-config file on Debian: it is linked here, in this one place.
HPDF_LIBS := -lhpdf

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wundef -Wvla
ifdef CI
WARN += -Werror
endif
OPT      ?= -O2 -g
CFLAGS   += -std=c17 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $(EXTRA_CFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(LINKED_PKGS) 2>/dev/null)
LDLIBS  += $(PKG_LIBS) $(HPDF_LIBS) -lm -pthread $(EXTRA_LDLIBS)

SRCS     := $(sort $(wildcard src/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

.PHONY: all po deps check-deps demo test bless unit e2e asan valgrind format format-check bench \
        install uninstall clean analyze fuzz

all: check-deps $(BUILD)/itareport $(BUILD)/locale/th/LC_MESSAGES/itareport.mo $(BUILD)/dict/itareport.tri

# Install missing build and test dependencies (Debian); a no-op when all are there.
deps:
	@tools/deps.sh

# Quiet when everything is there; on a bare machine (no pkg-config yet) it goes straight to
# tools/deps.sh without a shell error first. What is built waits for it (order-only), so
# `make -j` on a bare machine installs the packages before it compiles or runs trietool.
check-deps:
	@{ command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKGS) 2>/dev/null && \
	  test -f /usr/include/hpdf.h && command -v msgfmt >/dev/null 2>&1 && \
	  command -v trietool >/dev/null 2>&1; } || tools/deps.sh

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj check-deps
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -DITAREPORT_VERSION='"$(VERSION)"' -DITAREPORT_SHARE_DIR='"$(PREFIX)/share/itareport"' -DITAREPORT_LOCALE_DIR='"$(PREFIX)/share/locale"' $(if $(MHD_SONAME),-DMHD_SONAME='"$(MHD_SONAME)"') -c $< -o $@

$(BUILD)/libitareport.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/itareport: $(BUILD)/obj/main.o $(BUILD)/libitareport.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libitareport.a $(wildcard src/*.h tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(BUILD)/libitareport.a $(LDLIBS) -lcmocka

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libitareport.a $(wildcard src/*.h) | $(BUILD)/tools
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(BUILD)/libitareport.a $(LDLIBS)

# The Thai message catalogue, beside the program (build/locale/th/LC_MESSAGES), where it
# finds it when run from the build tree; po/th.po holds the translations.
$(BUILD)/locale/th/LC_MESSAGES/itareport.mo: po/th.po | check-deps
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The breaker's dictionary: libthai's word list (read back from its trie) and the project's
# own lists (dict/words.txt: never split; dict/places.txt: stay with the name after them;
# dict/labels.txt: stay with the number or id after them),
# built with trietool into BUILD/dict/itareport.tri, where the program finds it when run
# from the build tree (PREFIX/share/itareport/dict when installed). The trie's value says
# which list a word came from: -1 libthai, 1 words.txt, 2 places.txt, 3 labels.txt. The project's own
# words alone, with the same values, go beside it into itareport-words.tri: the breaker
# looks only those up, and loading the whole dictionary a second time was an eighth of a
# fresh render.
LIBTHAI_DICT ?= /usr/share/libthai/thbrk.tri
$(BUILD)/dict/itareport.tri: dict/words.txt dict/places.txt dict/labels.txt dict/thai.abm $(LIBTHAI_DICT) | check-deps
	@mkdir -p $(dir $@)
	rm -f $(BUILD)/dict/new.tri $(BUILD)/dict/new.abm
	cp dict/thai.abm $(BUILD)/dict/new.abm
	trietool -p $(dir $(LIBTHAI_DICT)) $(basename $(notdir $(LIBTHAI_DICT))) list | cut -f1 > $(BUILD)/dict/libthai.txt
	grep -v -e '^#' -e '^$$' dict/words.txt | sed 's/$$/\t1/' > $(BUILD)/dict/words.txt
	grep -v -e '^#' -e '^$$' dict/places.txt | sed 's/$$/\t2/' >> $(BUILD)/dict/words.txt
	grep -v -e '^#' -e '^$$' dict/labels.txt | sed 's/$$/\t3/' >> $(BUILD)/dict/words.txt
	trietool -p $(BUILD)/dict new add-list -e UTF-8 $(BUILD)/dict/libthai.txt
	trietool -p $(BUILD)/dict new add-list -e UTF-8 $(BUILD)/dict/words.txt
	rm -f $(BUILD)/dict/own.tri
	cp dict/thai.abm $(BUILD)/dict/own.abm
	trietool -p $(BUILD)/dict own add-list -e UTF-8 $(BUILD)/dict/words.txt
	mv $(BUILD)/dict/own.tri $(BUILD)/dict/itareport-words.tri
	mv $(BUILD)/dict/new.tri $@
	rm -f $(BUILD)/dict/new.abm $(BUILD)/dict/own.abm

# After changing messages: regenerate po/itareport.pot and merge it into po/th.po.
po:
	tools/po-update.sh

$(BUILD)/obj $(BUILD)/tests $(BUILD)/tools:
	mkdir -p $@

demo: all
	@mkdir -p out
	$(BUILD)/itareport render samples/sepholoe-2566.yaml -o out/sepholoe-2566.pdf
	$(BUILD)/itareport text samples/thai-sample.txt -o out/thai-sample.pdf
	@echo "demo: wrote out/sepholoe-2566.pdf (the seed report) and out/thai-sample.pdf"

# The whole suite: unit tests (cmocka) and end-to-end shell suites; closes with "N passed, M failed".
test: all $(UNIT_BINS) $(TOOL_BINS)
	@BUILD=$(BUILD) tests/run.sh

# Rewrites the golden display-list dumps (tests/golden/) after a change you have looked at.
bless: all $(UNIT_BINS)
	@BUILD=$(BUILD) tests/golden.sh bless

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  EXTRA_LDLIBS="-fsanitize=address,undefined" test

# The end-to-end suites with every program run under valgrind's memcheck.
valgrind: all $(UNIT_BINS) $(TOOL_BINS)
	@BUILD=$(BUILD) ITAREPORT_WRAPPER="valgrind -q --leak-check=full --error-exitcode=99" tests/run.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c) built with clang under ASan+UBSan, each run for
# FUZZ_SECONDS with its seeds (the case below; default: the samples and the bad-input
# corpus); new inputs are kept in build/fuzz/corpus-NAME, crashes written to build/fuzz/.
# The library is compiled once for all targets (build/fuzz/obj, coverage-instrumented);
# FUZZ_SRCS picks targets (make fuzz FUZZ_SRCS=tests/fuzz/fuzz_image.c). Needs clang.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS   := -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
FUZZ_OBJS    := $(patsubst src/%.c,build/fuzz/obj/%.o,$(filter-out src/cmd_%.c,$(LIB_SRCS)))

build/fuzz/obj/%.o: src/%.c $(wildcard src/*.h) | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined $(PKG_CFLAGS) -c $< -o $@

build/fuzz/obj:
	mkdir -p $@

fuzz: $(FUZZ_OBJS) build/dict/itareport.tri
	@set -e; for t in $(FUZZ_SRCS); do \
	  n=$$(basename $$t .c); \
	  echo "fuzz: building $$n"; \
	  $(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -Isrc \
	    -DFUZZ_DATA_DIR='"$(CURDIR)"' -o build/fuzz/$$n $$t $(FUZZ_OBJS) $(PKG_LIBS) $(HPDF_LIBS) -lm; \
	  mkdir -p build/fuzz/corpus-$$n; \
	  case $$n in \
	    fuzz_text) seeds="tests/fuzz/seeds-text"; dict="-dict=tests/fuzz/thai.dict" ;; \
	    fuzz_template) seeds="tests/fuzz/seeds-template templates/ita-2566"; dict="-dict=tests/fuzz/yaml.dict" ;; \
	    fuzz_csv) seeds="tests/fuzz/seeds-csv"; dict="" ;; \
	    fuzz_wire) seeds="tests/fuzz/seeds-wire"; dict="-dict=tests/fuzz/wire.dict" ;; \
	    fuzz_image) seeds="tests/fuzz/seeds-image"; dict="" ;; \
	    fuzz_font) seeds="tests/fuzz/seeds-font"; dict="" ;; \
	    fuzz_decimal) seeds="tests/fuzz/seeds-decimal"; dict="" ;; \
	    fuzz_names) seeds="tests/fuzz/seeds-names"; dict="-dict=tests/fuzz/thai.dict" ;; \
	    fuzz_summary) seeds="tests/fuzz/seeds-summary"; dict="" ;; \
	    *) seeds="samples tests/data/bad"; dict="-dict=tests/fuzz/yaml.dict" ;; \
	  esac; \
	  echo "fuzz: running $$n for $(FUZZ_SECONDS) s"; \
	  build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ -print_final_stats=1 $$dict \
	    build/fuzz/corpus-$$n $$seeds; \
	done

FORMAT_FILES = src/*.c src/*.h tests/unit/*.c $(wildcard tests/tools/*.c tests/fuzz/*.c)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

# Static analysis: cppcheck, then clang's analyzer on every file (warnings are errors).
analyze:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
	  --suppress=missingIncludeSystem --inline-suppr src
	@fail=0; for f in $(SRCS); do \
	  out=$$(clang --analyze -std=c17 -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS) \
	    -Xanalyzer -analyzer-output=text -o /dev/null $$f 2>&1); \
	  if [ -n "$$out" ]; then echo "$$out"; fail=1; fi; \
	done; [ $$fail -eq 0 ] && echo "analyze: cppcheck and clang --analyze clean"

bench: all $(TOOL_BINS)
	@BUILD=$(BUILD) tests/bench.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/itareport/fonts \
	  $(DESTDIR)$(PREFIX)/share/itareport/templates
	install -m 755 $(BUILD)/itareport $(DESTDIR)$(PREFIX)/bin/itareport
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 docs/man/itareport.1 $(DESTDIR)$(PREFIX)/share/man/man1/itareport.1
	install -m 644 tools/completion/itareport.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/itareport
	install -d $(DESTDIR)$(PREFIX)/share/locale/th/LC_MESSAGES
	install -m 644 $(BUILD)/locale/th/LC_MESSAGES/itareport.mo $(DESTDIR)$(PREFIX)/share/locale/th/LC_MESSAGES/
	install -m 644 fonts/*.ttf fonts/OFL.txt fonts/README.md $(DESTDIR)$(PREFIX)/share/itareport/fonts/
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/itareport/templates/
	install -d $(DESTDIR)$(PREFIX)/share/itareport/web
	install -m 644 web/index.html web/style.css web/app.js $(DESTDIR)$(PREFIX)/share/itareport/web/
	install -d $(DESTDIR)$(PREFIX)/share/itareport/dict
	install -m 644 $(BUILD)/dict/itareport.tri $(BUILD)/dict/itareport-words.tri \
	  $(DESTDIR)$(PREFIX)/share/itareport/dict/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/itareport
	rm -f $(DESTDIR)$(PREFIX)/share/locale/th/LC_MESSAGES/itareport.mo
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/itareport.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/itareport
	rm -rf $(DESTDIR)$(PREFIX)/share/itareport

clean:
	rm -rf build out
