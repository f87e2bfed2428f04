# data_bridge: PGXS build of record.
#   make && make install        build and install into the server found by pg_config
#   make installcheck           pg_regress tests and isolation specs against a running server
#   make regresscheck           pg_regress tests only (sql/, expected/)
#   make isolationcheck         isolation specs only (test/isolation/)
#   make pgtapcheck             pgTAP tests (test/pgtap/, pg_prove) against a running server
#   make drivercheck            every function through four client drivers, parameters untyped
#   make unitcheck              the core's unit tests (ctest); make format-check: clang-format
#   make examplecheck           the Python and Node.js examples, checked against their output
#   make sanitize-check         the module and unit tests under ASan+UBSan, every server suite and
#                               seeded random calls against them; fails on any sanitizer report
#   make tapcheck               Perl TAP tests (test/t, PostgreSQL::Test::Cluster); they start
#                               their own clusters, so run them as a user initdb accepts

EXTENSION = data_bridge
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

MODULE_big = data_bridge
SRCS = $(sort $(wildcard src/*.cpp src/core/*.cpp src/pg/*.cpp))
OBJS = $(SRCS:.cpp=.o)

DATA = $(wildcard $(EXTENSION)--*.sql)

TESTS := $(sort $(wildcard sql/*.sql))
REGRESS := $(patsubst sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --load-extension=$(EXTENSION)

ISOLATION := $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --load-extension=$(EXTENSION) --inputdir=test/isolation

PG_CONFIG ?= pg_config

# A new connection pays for loading the module: fmt is compiled in (header-only: no libfmt to
# load), and only the SQL functions, their info records, the magic block and _PG_init are
# exported (PostgreSQL 16 does the same with PGDLLEXPORT), so the dynamic linker resolves a few
# dozen symbols instead of every inline function and template instance.
PG_CPPFLAGS = -I$(srcdir)/include -DFMT_HEADER_ONLY \
	'-DPGDLLEXPORT=__attribute__((visibility("default")))'
PG_CXXFLAGS = -std=c++17 -Wno-register -Werror=return-type -fvisibility=hidden \
	-fvisibility-inlines-hidden
SHLIB_LINK = -lstdc++

EXTRA_CLEAN = results regression.diffs regression.out output_iso build tmp_check tmp_deb dist

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Servers built with LLVM JIT also compile every source to bitcode with clang; Makefile.global
# sets these flags, so they are extended after it.
BITCODE_CXXFLAGS += -std=c++17 -Wno-register

# Rebuild an object when a header it includes changes (PGXS tracks only the .cpp).
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
EXTRA_CLEAN += $(OBJS:.o=.d)

ifdef WERROR
override CXXFLAGS += -Werror
endif

# make SANITIZE=address,undefined: the module instrumented, for scripts/sanitize.sh.
ifdef SANITIZE
override CXXFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
SHLIB_LINK += -fsanitize=$(SANITIZE)
endif

regresscheck:
	$(MAKE) installcheck ISOLATION=

isolationcheck:
	$(MAKE) installcheck REGRESS=

PGTAP_FLAGS ?= --verbose
pgtapcheck:
	pg_prove $(PGTAP_FLAGS) test/pgtap/*.sql

# The PostgreSQL-free core's unit tests (CMake + GoogleTest), and the formatting every C++ file
# keeps (.clang-format).
CXX_FILES = $(sort $(wildcard src/*.cpp src/*/*.cpp include/data_bridge/*/*.hpp test/unit/*.cpp test/unit/*.hpp))
unitcheck:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j$$(nproc)
	ctest --test-dir build --output-on-failure

# Every suite against a module built with AddressSanitizer and UBSan (scripts/sanitize.sh).
sanitize-check:
	scripts/sanitize.sh

format-check:
	clang-format --dry-run -Werror $(CXX_FILES)

# Every function through node-postgres, psycopg2, DBD::Pg and ruby-pg, parameters untyped.
drivercheck:
	test/drivers/run.sh

# The Debian package, built with PostgreSQL's packaging helpers (debian/rules: pg_buildext) in a
# copy of the tree, so the build here is left as it is: dist/postgresql-15-data-bridge_*.deb.
deb:
	rm -rf tmp_deb && mkdir -p tmp_deb/data-bridge dist
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t tmp_deb/data-bridge
	cd tmp_deb/data-bridge && DEB_BUILD_OPTIONS=noddebs dpkg-buildpackage -us -uc -b
	cp tmp_deb/postgresql-15-data-bridge_*.deb dist/
	rm -rf tmp_deb

# The client examples (examples/), run on the sample schema and checked against their output.
examplecheck:
	examples/run.sh

.PHONY: regresscheck isolationcheck pgtapcheck drivercheck unitcheck format-check examplecheck deb sanitize-check

# The TAP tests start clusters of their own with PostgreSQL::Test::Cluster, from the PGXS tree.
PGXS_DIR := $(dir $(PGXS))
tapcheck:
	rm -rf '$(CURDIR)'/tmp_check && mkdir -p '$(CURDIR)'/tmp_check
	TESTDIR='$(CURDIR)' PATH="$(bindir):$$PATH" \
	PG_REGRESS='$(PGXS_DIR)../../src/test/regress/pg_regress' \
	prove -I '$(PGXS_DIR)../../src/test/perl' $(PROVE_FLAGS) test/t/*.pl

.PHONY: tapcheck
