"""Go build information and cargo-auditable sections of ELF programs."""

from __future__ import annotations

import json
import zlib

from elf_fixture import (
    FIRST_SECTION_WITH_SEGMENT,
    elf_with_sections,
    go_buildinfo_pointers,
    go_buildinfo_section,
)

from slimline.inventory.binaries import (
    binary_components,
    parse_cargo_auditable,
    parse_go_buildinfo,
    parse_modinfo,
)

#: ``go version -m`` of a program with a replaced dependency (tabs as Go writes them)
MODINFO = (
    "path\texample.com/server\n"
    "mod\texample.com/server\tv1.2.3\th1:abc=\n"
    "dep\tgithub.com/go-chi/chi/v5\tv5.0.10\th1:x=\n"
    "dep\tgolang.org/x/net\tv0.10.0\th1:y=\n"
    "=>\tgolang.org/x/net\tv0.17.0\th1:z=\n"
    "build\t-compiler=gc\n"
    "build\tCGO_ENABLED=0\n"
    "build\tGOOS=linux\n"
)


def test_modinfo_lines_with_a_replacement() -> None:
    info = parse_modinfo("go1.21.5", MODINFO)
    assert info.path == "example.com/server"
    assert info.main == ("example.com/server", "v1.2.3")
    assert info.deps == [("github.com/go-chi/chi/v5", "v5.0.10"), ("golang.org/x/net", "v0.17.0")]
    assert info.settings["CGO_ENABLED"] == "0"


def test_go_program_from_its_elf_section() -> None:
    program = elf_with_sections({".text": b"\x90" * 32,
                                 ".go.buildinfo": go_buildinfo_section("go1.19.8", MODINFO)})
    info = parse_go_buildinfo(program)
    assert info is not None
    assert info.go_version == "go1.19.8"
    assert info.main == ("example.com/server", "v1.2.3")
    components = binary_components("/app/server", program)
    assert [(c.ecosystem, c.name, c.version) for c in components] == [
        ("go", "example.com/server", "v1.2.3"),
        ("go", "github.com/go-chi/chi/v5", "v5.0.10"),
        ("go", "golang.org/x/net", "v0.17.0"),
        ("go", "stdlib", "1.19.8"),
    ]
    assert {c.location for c in components} == {"/app/server"}


def test_a_development_build_lists_no_main_module_but_the_standard_library() -> None:
    modinfo = "path\tcmd/go\nbuild\t-compiler=gc\n"
    program = elf_with_sections({".go.buildinfo": go_buildinfo_section("go1.22.0 X:boringcrypto",
                                                                       modinfo)})
    assert [(c.name, c.version) for c in binary_components("/go", program)] == [
        ("stdlib", "1.22.0")]


def test_not_a_go_program() -> None:
    assert parse_go_buildinfo(b"#!/bin/sh\necho hi\n") is None
    assert parse_go_buildinfo(elf_with_sections({".text": b"\x90" * 16})) is None
    assert parse_go_buildinfo(b"\x7fELF garbage") is None
    # the magic without a Go version
    bad = elf_with_sections({".go.buildinfo": go_buildinfo_section("gcc", "")})
    assert parse_go_buildinfo(bad) is None
    assert binary_components("/x", b"\x7fELF garbage") == []


def test_cargo_auditable_dependencies_without_build_only_crates() -> None:
    tree = {"packages": [
        {"name": "app", "version": "0.1.0", "source": "local", "root": True},
        {"name": "serde", "version": "1.0.190", "source": "crates.io", "kind": "runtime"},
        {"name": "cc", "version": "1.0.83", "source": "crates.io", "kind": "build"},
    ]}
    program = elf_with_sections({".dep-v0": zlib.compress(json.dumps(tree).encode())})
    assert parse_cargo_auditable(program) == [("app", "0.1.0", "local"),
                                              ("serde", "1.0.190", "crates.io")]
    assert [(c.ecosystem, c.name) for c in binary_components("/bin/app", program)] == [
        ("rust", "app"), ("rust", "serde")]
    assert parse_cargo_auditable(elf_with_sections({".dep-v0": b"not zlib"})) is None


def test_go_before_1_18_points_to_its_strings() -> None:
    base = 0x400000
    section = go_buildinfo_pointers("go1.16.15", MODINFO, base + FIRST_SECTION_WITH_SEGMENT)
    program = elf_with_sections({".go.buildinfo": section}, load_base=base)
    info = parse_go_buildinfo(program)
    assert info is not None
    assert (info.go_version, info.main) == ("go1.16.15", ("example.com/server", "v1.2.3"))
    # an address outside every segment: not a Go program we can read
    elsewhere = go_buildinfo_pointers("go1.16.15", MODINFO, 0x900000)
    assert parse_go_buildinfo(elf_with_sections({".go.buildinfo": elsewhere},
                                                load_base=base)) is None
