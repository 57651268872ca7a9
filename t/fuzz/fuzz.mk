# t/fuzz/fuzz.mk: the libFuzzer targets (docs/fuzzing.md), included by the
# Makefile.
#
#   make fuzz-bin   build every target into $(FUZZ_BUILD)/fuzz_<target>
#   make fuzz       run each target for FUZZ_SECONDS (default 600), one after
#                   another, nice'd; findings go to $(FUZZ_BUILD)/artifacts/
#
# The engine objects (the Makefile's ENGINE list: jsonld_read and
# jsonld_write among them) are compiled again with the targets' sanitizers
# and coverage (-fsanitize=fuzzer-no-link) into their own directory:
# libFuzzer needs clang, and an instrumented object must never end up in
# the module.

FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS  = engine normalize jsonld_reader figures gazetteer result
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
# (APR_RING_SENTINEL computes its offset from a null pointer: clang warns
# about APR's macro in memo.c, gcc does not)
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) -Wno-null-pointer-subtraction \
                $(FUZZ_SAN) \
                $(APR_CFLAGS) $(PKG_CFLAGS) -Isrc \
                -DGEOTAG_CONF_DIR='"$(CONF_DIR)"'
FUZZ_OBJ      = $(ENGINE:%=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN      = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: fuzz fuzz-bin fuzz-clean fuzz-seeds

fuzz-bin: $(FUZZ_BIN)

# the objects are shared by every target: not intermediates to delete
.SECONDARY: $(FUZZ_OBJ)

$(FUZZ_BUILD)/obj/%.o: src/%.c src/*.h | $(FUZZ_BUILD)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: t/fuzz/%.c t/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)

$(FUZZ_BUILD)/obj:
	mkdir -p $@

fuzz: fuzz-bin
	FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	    sh t/fuzz/run.sh $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

clean: fuzz-clean

# The result target's seeds: the cache entries of our own sample pages
# (committed; rerun when the entry format changes).
fuzz-seeds: $(FUZZ_BUILD)/result_seeds
	mkdir -p t/fuzz/seeds/result
	$(FUZZ_BUILD)/result_seeds t/fuzz/seeds/result t/htdocs/samples/*.html \
	    t/fuzz/seeds/engine/hand-*.html

$(FUZZ_BUILD)/result_seeds: t/fuzz/result_seeds.c t/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(LIBS)
