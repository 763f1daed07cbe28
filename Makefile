# itsm — plain make + pkg-config.
#
#   make            build build/itsm
#   make run        install missing Debian packages, build, serve demo data
#   make test       unit tests, fault injection (a stride of k), fuzz replays,
#                   API and browser tests, under ASan+UBSan
#   make fault      fault injection at every k (tests/fault/), under ASan+UBSan
#   make fuzz       run the libFuzzer targets for a bounded time
#   make bench      print the benchmark figures
#   make clean

PKGS     := libmicrohttpd sqlite3 libsodium jansson libcurl inih
CC       ?= cc
BUILD    ?= build
SAN      ?=
OPT      ?= -O2 -g

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS_ALL = -std=c17 -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wno-unused-parameter -Wno-missing-field-initializers \
             -D_GNU_SOURCE -Isrc -include src/lib/compat.h $(PKG_CFLAGS) $(OPT) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)

ifeq ($(SAN),1)
CFLAGS_ALL += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRC  := $(shell find src -name '*.c' ! -path 'src/cli/main.c' | sort)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
WEB_FILES := $(shell find web -type f 2>/dev/null | sort)
SQL_FILES := $(wildcard src/store/migrations/*.sql)
UNIT_SRC := $(shell find tests/unit -name '*.c' | sort)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test unit api clean fuzz fuzz-replay bench deps e2e fault fault-run FORCE
all: $(BUILD)/itsm

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The web console and the SQL migrations, embedded at build time. A file
# renamed or removed changes no date the rules see, so each list of files
# is a prerequisite too, rewritten only when it differs.
$(BUILD)/gen/%.list: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(if $(filter web_files,$*),$(WEB_FILES),$(SQL_FILES)) | cmp -s - $@ || \
		printf '%s\n' $(if $(filter web_files,$*),$(WEB_FILES),$(SQL_FILES)) > $@
FORCE:

$(BUILD)/gen/web_files.c: scripts/embed.sh $(WEB_FILES) $(BUILD)/gen/web_files.list
	@mkdir -p $(dir $@)
	sh scripts/embed.sh web web_files > $@

$(BUILD)/gen/sql_migrations.c: scripts/embed.sh $(SQL_FILES) $(BUILD)/gen/sql_migrations.list
	@mkdir -p $(dir $@)
	sh scripts/embed.sh src/store/migrations sql_migrations > $@

# ---- the OpenAPI description (issue 16) ----
# docs/openapi.json is compiled into the binary as api_docs ("/openapi.json")
# and served at GET /api/v1/openapi.json; the archive takes it beside the
# other embedded files ($^ gathers every rule's prerequisites). The API tests
# validate it with npm packages (tests/api/package.json), installed once.
$(BUILD)/gen/api_docs.c: scripts/embed.sh docs/openapi.json
	@mkdir -p $(BUILD)/gen/api_docs
	cp docs/openapi.json $(BUILD)/gen/api_docs/openapi.json
	sh scripts/embed.sh $(BUILD)/gen/api_docs api_docs > $@

$(BUILD)/libitsm.a: $(BUILD)/obj/gen/api_docs.o

API_NODE_MODULES := tests/api/node_modules/.package-lock.json
$(API_NODE_MODULES): tests/api/package.json tests/api/package-lock.json
	npm ci --prefix tests/api --no-audit --no-fund >/dev/null

api: $(API_NODE_MODULES)
# ---- end of the OpenAPI description ----

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libitsm.a: $(LIB_OBJ) $(BUILD)/obj/gen/web_files.o $(BUILD)/obj/gen/sql_migrations.o
	rm -f $@
	ar rcs $@ $^

$(BUILD)/itsm: $(BUILD)/obj/src/cli/main.o $(BUILD)/libitsm.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libitsm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< \
		$(BUILD)/libitsm.a $(shell pkg-config --libs cmocka) $(LDLIBS_ALL)

# The fault harness: the k-th allocation (ours, jansson's, SQLite's), SQLite
# step and write/fsync fail, for k = 1, 1+stride, … (tests/fault/harness.c).
# Our allocator and sqlite3_step are wrapped at link time.
FAULT_WRAP   := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup \
                -Wl,--wrap=sqlite3_step
FAULT_STRIDE ?= 1
TEST_FAULT_STRIDE ?= 3

$(BUILD)/tests/fault/harness: tests/fault/harness.c tests/fault/fault.c tests/fault/fault.h \
			      $(BUILD)/libitsm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) $(FAULT_WRAP) -o $@ tests/fault/harness.c tests/fault/fault.c \
		$(BUILD)/libitsm.a $(LDLIBS_ALL)

fault-run: $(BUILD)/tests/fault/harness
	$(BUILD)/tests/fault/harness --stride $(FAULT_STRIDE)

fault:
	$(MAKE) BUILD=build/san SAN=1 OPT='-O1 -g' FAULT_STRIDE=1 fault-run

deps:
	@sh scripts/install-deps.sh

run: deps
	$(MAKE) all
	./$(BUILD)/itsm --db itsm.db serve --demo

# Every suite runs against a sanitizer build (ASan+UBSan) of its own,
# beside the normal one: unit tests, fault injection (every TEST_FAULT_STRIDE-th
# k; `make fault` runs every k), fuzz regressions, API tests, browser tests.
test:
	@ITSM_DEPS=test sh scripts/install-deps.sh
	$(MAKE) BUILD=build/san SAN=1 OPT='-O1 -g' FAULT_STRIDE=$(TEST_FAULT_STRIDE) \
		unit fault-run fuzz-replay api e2e

unit: $(UNIT_BIN)
	@sh scripts/run-unit.sh $(UNIT_BIN)

fuzz-replay: $(BUILD)/libitsm.a
	REPLAY_BUILD=$(BUILD) sh scripts/fuzz-replay.sh

api: $(BUILD)/itsm
	ITSM_BIN=$(abspath $(BUILD)/itsm) node --test --test-concurrency=1 tests/api/

e2e: $(BUILD)/itsm
	ITSM_BIN=$(abspath $(BUILD)/itsm) sh tests/e2e/run.sh

fuzz:
	@ITSM_DEPS=fuzz sh scripts/install-deps.sh
	sh scripts/fuzz.sh

bench: all
	@ITSM_DEPS=bench sh scripts/install-deps.sh
	sh bench/run.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
