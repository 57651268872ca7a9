# mod_geotag — build, test and run.
#
#   make            build the engine library, the geotag tool and the tests
#   make test       install missing build/test packages (as root), build, run every suite
#   make demo       the quick start: build and tag the sample article (see README)
#   make deb        the Debian package libapache2-mod-geotag_VERSION_ARCH.deb
#                  (debian/, built with dpkg-buildpackage; README)
#   make asan       build and run the unit tests under AddressSanitizer/UBSan
#   make gazetteer  regenerate conf/gazetteer.xml from data/gazetteer/
#   make check-dict check the dictionary (schema, ids, sources, shared forms,
#                  case rules, sovereign states, generated file current)
#   make bench-engine  engine throughput (MB/s per core); BEFORE=REV runs a
#                  build of REV beside this tree's, cell by cell
#   make bench-callgrind  instructions per page of the tagging (callgrind);
#                  BEFORE=REV puts a build of REV beside this tree's
#   make similarity  blocks of code written twice (sim_c; reports, never fails)
#   make precision  how often the dictionary's tags are right, on the GUM and
#                  KIND news corpora (docs/gazetteer.md, "Precision"; a
#                  measurement, never fails on a number)
#   make bench     engine + Apache side by side (static, GEOTAG, substitute,
#                  proxy_html, deflate), memory, latency, startup: ~9 min,
#                  docs/performance.md (not part of make test); BEFORE=REV
#                  also runs REV's engine, and b and c on REV's module
#
# `make install` never installs packages; `make test` and `make demo` do, when
# run as root, through tools in t/ (see deps below).

CC       ?= cc
PKGS      = libpcre2-8 libxml-2.0
APR_CFLAGS := $(shell apr-1-config --includes --cppflags 2>/dev/null) $(shell apu-1-config --includes 2>/dev/null)
APR_LIBS   := $(shell apr-1-config --link-ld --libs 2>/dev/null) $(shell apu-1-config --link-ld 2>/dev/null)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN      = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -fPIC $(WARN) $(CFLAGS) $(CPPFLAGS) $(APR_CFLAGS) $(PKG_CFLAGS) -Isrc
LIBS      = $(LDFLAGS) $(PKG_LIBS) $(APR_LIBS) -lm

BUILD    ?= build
CONF_DIR ?= $(CURDIR)/conf
ENGINE    = utf8 lexer normalize entities xmlfile langpack gazetteer matcher \
            figvalue figpattern figures json jsonld_read jsonld_write edits \
            preview \
            scope page treaty office document window annotator result memo
ENGINE_OBJ = $(ENGINE:%=$(BUILD)/%.o) $(BUILD)/builtin.o
# The version is written in one place, the first line of debian/changelog;
# the engine carries it, with the schema, in $(BUILD)/builtin.c (below).
VERSION  := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
UNIT_SRC  = $(wildcard t/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:t/unit/%.c=$(BUILD)/t/%)

.PHONY: demo-stop apache-test all test deps unit engine-tests demo asan asan-module clean bench-engine bench-callgrind bench check-dict gazetteer module install unit-bin similarity precision deb

all: $(BUILD)/libgeotag.a $(BUILD)/geotag $(UNIT_BIN) module

# the unit tests alone (make asan builds these, and its own module: see
# asan-module)
unit-bin: $(UNIT_BIN)

# The Apache module: the glue files with the engine objects linked in.
# GEOTAG_MODULE_CONF is where `make install` puts the gazetteer and the
# language packs (the default GeoTagDictionary / GeoTagLanguagePacks); the
# package builds with /usr/share/mod-geotag (debian/rules).  CPPFLAGS and
# LDFLAGS reach the module too (the package's hardening flags).
APXS      ?= apxs
GEOTAG_MODULE_CONF ?= /etc/apache2/geotag
MODULE_SRC = mod_geotag.c mod_geotag_config.c mod_geotag_filter.c \
             mod_geotag_replay.c mod_geotag_splice.c mod_geotag_etag.c \
             mod_geotag_cacheable.c mod_geotag_cache.c mod_geotag_status.c
MODULE_H   = $(MODULE_SRC:.c=.h)
MODULE     = .libs/mod_geotag.so

module: $(MODULE)

$(MODULE): $(MODULE_SRC) $(MODULE_H) $(ENGINE_OBJ) src/*.h
	$(APXS) -c -o mod_geotag.la -Wc,-std=gnu11 -Wc,-Wall -Wc,-Wextra \
	    -Wc,-Wno-unused-parameter -Wc,-Wno-missing-field-initializers \
	    $(CPPFLAGS:%=-Wc,%) $(LDFLAGS:%=-Wl,%) \
	    -Isrc $(PKG_CFLAGS) -DGEOTAG_CONF_DIR='\"$(GEOTAG_MODULE_CONF)\"' \
	    -Wl,-export-symbols-regex -Wl,'^geotag_module$$' \
	    $(MODULE_SRC) $(ENGINE_OBJ) $(PKG_LIBS) >$(BUILD)/apxs.log 2>&1 \
	    || { cat $(BUILD)/apxs.log; exit 1; }
	@grep -i 'warning' $(BUILD)/apxs.log | grep -v 'Linking the shared library' || true

install: $(MODULE) $(BUILD)/geotag.conf
	$(APXS) -i -n geotag mod_geotag.la
	install -d $(DESTDIR)$(GEOTAG_MODULE_CONF) $(DESTDIR)/etc/apache2/mods-available
	install -m 644 conf/gazetteer.xml $(DESTDIR)$(GEOTAG_MODULE_CONF)/
	install -d $(DESTDIR)$(GEOTAG_MODULE_CONF)/lang
	install -m 644 conf/lang/*.xml $(DESTDIR)$(GEOTAG_MODULE_CONF)/lang/
	install -m 644 conf/geotag.load $(BUILD)/geotag.conf $(DESTDIR)/etc/apache2/mods-available/

# mods-available/geotag.conf names the default dictionary's directory.
$(BUILD)/geotag.conf: conf/geotag.conf | $(BUILD)
	sed 's|@GEOTAG_DATA_DIR@|$(GEOTAG_MODULE_CONF)|g' $< > $@

# What the engine carries from outside its sources (src/builtin.h): the
# version and the RelaxNG schema, so that no schema file is ever needed.
$(BUILD)/builtin.c: debian/changelog conf/gazetteer.rng tools/gen-builtin.sh | $(BUILD)
	sh tools/gen-builtin.sh debian/changelog conf/gazetteer.rng > $@.tmp && mv $@.tmp $@

$(BUILD)/builtin.o: $(BUILD)/builtin.c src/builtin.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: src/%.c src/*.h | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libgeotag.a: $(ENGINE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/geotag: src/geotag_cli.c src/*.h $(BUILD)/libgeotag.a
	$(CC) $(ALL_CFLAGS) -DGEOTAG_CONF_DIR='"$(CONF_DIR)"' -o $@ $< $(BUILD)/libgeotag.a $(LIBS)

$(BUILD)/t/%: t/unit/%.c t/unit/tap.h $(BUILD)/libgeotag.a | $(BUILD)/t
	$(CC) $(ALL_CFLAGS) -It/unit -o $@ $< $(BUILD)/libgeotag.a $(LIBS)

# The splicer is glue that knows no httpd: its unit test links it as it is.
$(BUILD)/mod_geotag_splice.o: mod_geotag_splice.c mod_geotag_splice.h src/result.h | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/t/test_splice: t/unit/test_splice.c t/unit/tap.h $(BUILD)/mod_geotag_splice.o $(BUILD)/libgeotag.a | $(BUILD)/t
	$(CC) $(ALL_CFLAGS) -I. -It/unit -o $@ $< $(BUILD)/mod_geotag_splice.o $(BUILD)/libgeotag.a $(LIBS)

$(BUILD) $(BUILD)/t:
	mkdir -p $@

# Debian packages the build and the tests need; installed only when missing,
# only as root (otherwise the missing ones are listed and make stops).
deps:
	@sh t/deps.sh build test deb

# Every suite must run at least one test: t/run-suites.sh fails otherwise.
test: deps
	$(MAKE) all fuzz-bin $(BUILD)/modules.conf $(CONSUMERS)
	$(MAKE) check-dict
	sh t/run-suites.sh $(BUILD)

# The npm packages of the consumer suite (t/consumers/), the versions of its
# lock file; install scripts off (vnu-jar's would fetch a Java runtime:
# Debian's is used).
CONSUMERS = t/consumers/node_modules/.package-lock.json
$(CONSUMERS): t/consumers/package.json t/consumers/package-lock.json
	cd t/consumers && npm ci --ignore-scripts --no-audit --no-fund

# The server tests (Apache::Test) load the module from this tree.
$(BUILD)/modules.conf: t/conf/modules.conf.tmpl | $(BUILD)
	sed 's|@TOP@|$(CURDIR)|g' $< > $@

apache-test: all $(BUILD)/modules.conf
	perl t/TEST.PL -clean >/dev/null 2>&1 || true
	perl t/TEST.PL t/apache

unit: all
	prove -e '' $(UNIT_BIN)

asan:
	$(MAKE) BUILD=build-asan OPT=-O1 CFLAGS="-g -fsanitize=address,undefined -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" build-asan/geotag unit-bin asan-module
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    prove -e '' build-asan/t/test_*
	GEOTAG_BIN=build-asan/geotag UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    prove t/engine/
	$(MAKE) all $(BUILD)/modules.conf
	sh t/asan/apache.sh build-asan

# The module under ASan/UBSan (make asan, BUILD=build-asan): built from
# copies of its sources in $(BUILD)/module/, so that libtool's objects and
# .libs/ are its own and .libs/mod_geotag.so stays the plain build; httpd
# loads it only with the runtime preloaded (t/asan/httpd).
ASAN_MODULE = $(BUILD)/module/.libs/mod_geotag.so
asan-module: $(ASAN_MODULE) $(BUILD)/modules.conf
	sed -i 's|^LoadModule geotag_module .*|LoadModule geotag_module $(CURDIR)/$(ASAN_MODULE)|' $(BUILD)/modules.conf

$(ASAN_MODULE): $(MODULE_SRC) $(MODULE_H) $(ENGINE_OBJ) src/*.h
	rm -rf $(BUILD)/module && mkdir -p $(BUILD)/module
	cp $(MODULE_SRC) $(MODULE_H) $(BUILD)/module/
	cd $(BUILD)/module && $(APXS) -c -o mod_geotag.la -Wc,-std=gnu11 -Wc,-Wall -Wc,-Wextra \
	    -Wc,-Wno-unused-parameter -Wc,-Wno-missing-field-initializers \
	    -Wc,-O1 -Wc,-g -Wc,-fsanitize=address,undefined -Wc,-fno-omit-frame-pointer \
	    -Wl,-fsanitize=address,undefined \
	    -I$(CURDIR)/src $(PKG_CFLAGS) -DGEOTAG_CONF_DIR='\"$(GEOTAG_MODULE_CONF)\"' \
	    -Wl,-export-symbols-regex -Wl,'^geotag_module$$' \
	    $(MODULE_SRC) $(ENGINE_OBJ:%=$(CURDIR)/%) $(PKG_LIBS) >apxs.log 2>&1 \
	    || { cat apxs.log; exit 1; }

# The Debian package (debian/).  dpkg-buildpackage runs in a copy of the
# sources under $(BUILD)/deb, so that its clean and Debian's build flags
# (hardening) never touch this tree's build, and the files it writes beside
# the sources stay there; the .deb is copied here.
DEB_SOURCES = Makefile README.md $(MODULE_SRC) $(MODULE_H) src conf docs \
              debian tools t/fuzz/fuzz.mk
DEB_TREE    = $(BUILD)/deb/mod-geotag-$(VERSION)
deb:
	@sh t/deps.sh build deb
	rm -rf $(BUILD)/deb && mkdir -p $(DEB_TREE)
	tar cf - $(DEB_SOURCES) | tar xf - -C $(DEB_TREE)
	cd $(DEB_TREE) && dpkg-buildpackage -b -uc -us -J >../build.log 2>&1 \
	    || { tail -n 40 ../build.log; exit 1; }
	cp $(BUILD)/deb/libapache2-mod-geotag_$(VERSION)_*.deb .
	@ls libapache2-mod-geotag_$(VERSION)_*.deb

demo:
	@sh t/deps.sh build demo
	$(MAKE) all
	sh t/demo.sh $(BUILD)

demo-stop:
	sh t/demo.sh $(BUILD) stop

$(BUILD)/bench_engine: t/bench/bench_engine.c $(BUILD)/libgeotag.a
	$(CC) $(ALL_CFLAGS) -DGEOTAG_CONF_DIR='"$(CONF_DIR)"' -o $@ $< $(BUILD)/libgeotag.a $(LIBS)

bench-engine: all $(BUILD)/bench_engine
	sh t/bench-engine.sh $(BUILD) $(BEFORE)

bench-callgrind: $(BUILD)/bench_engine
	@sh t/deps.sh build bench
	sh t/bench/callgrind.sh $(BUILD) $(BEFORE)

bench: all $(BUILD)/bench_engine
	@sh t/deps.sh build bench
	sh t/bench/run.sh $(BUILD) $(BEFORE)

# The default dictionary is generated from its sources (data/gazetteer/,
# README.md there) and committed; check-dict fails when it is stale.
gazetteer:
	python3 tools/gen-gazetteer.py -o conf/gazetteer.xml

# Pairs of similar blocks of six lines or more (tools/similarity.sh says
# how they are found); a report to judge, not yet a gate.
similarity:
	@sh t/deps.sh similarity
	@sh tools/similarity.sh

# Precision of the dictionary's tags on two annotated news corpora (GUM,
# English; KIND, Italian) beside the tree: PRECISION_DICT to measure another
# dictionary, the wrong tags in $(BUILD)/precision-wrong.tsv.
PRECISION_DICT ?= conf/gazetteer.xml
precision: $(BUILD)/geotag
	python3 tools/precision.py --geotag $(BUILD)/geotag --dict $(PRECISION_DICT) \
	    --wrong $(BUILD)/precision-wrong.tsv
	@echo "wrong tags: $(BUILD)/precision-wrong.tsv"

check-dict: $(BUILD)/geotag
	$(BUILD)/geotag --check conf/gazetteer.xml
	python3 tools/check-dict.py --geotag $(BUILD)/geotag --data data/gazetteer conf/gazetteer.xml

clean:
	rm -rf build build-asan .libs *.la *.lo *.slo *.o libapache2-mod-geotag_*.deb

include t/fuzz/fuzz.mk
