"""The whole inventory of a small root filesystem, read from an image and from a directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rootfs_fixture import APP, BASE, write_directory, write_image

from slimline.errors import ImageError
from slimline.inventory.collect import Inventory, take_inventory
from slimline.inventory.rootfs import DirRootFs
from slimline.inventory.target import inventory_of, is_root_directory


@pytest.fixture(params=["image", "directory"])
def inventory(request: pytest.FixtureRequest, tmp_path: Path) -> Inventory:
    if request.param == "image":
        return inventory_of(f"docker-archive:{write_image(tmp_path / 'img.tar')}")
    return inventory_of(str(write_directory(tmp_path / "rootfs")))


def keys(inventory: Inventory, ecosystem: str) -> list[tuple[str, str]]:
    return [(c.name, c.version) for c in inventory.components if c.ecosystem == ecosystem]


def test_os_release_behind_a_symlink(inventory: Inventory) -> None:
    assert inventory.os is not None
    assert (inventory.os.id, inventory.os.version_id, inventory.os.distro) == \
        ("debian", "12", "debian-12")


def test_installed_deb_packages_with_their_source(inventory: Inventory) -> None:
    assert keys(inventory, "deb") == [("bash", "5.2.15-2+b2"), ("libc6", "2.36-9+deb12u4"),
                                      ("python3-six", "1.16.0-4")]
    debs = {c.name: c for c in inventory.components if c.ecosystem == "deb"}
    assert (debs["bash"].source, debs["bash"].source_version) == ("bash", "5.2.15-2")
    assert (debs["libc6"].source, debs["libc6"].source_version) == ("glibc", "2.36-9+deb12u4")
    assert debs["libc6"].files[-1] == "/usr/share/doc/libc6/copyright"  # from libc6:amd64.list


def test_python_distributions_not_owned_by_a_deb(inventory: Inventory) -> None:
    # six's dist-info is in python3-six's .list: it belongs to the deb, listed once
    assert keys(inventory, "python") == [("legacy-pkg", "0.9"), ("requests", "2.31.0")]
    # a one-line License field is a licence; a whole licence text is not
    licenses = {c.name: c.licenses for c in inventory.components if c.ecosystem == "python"}
    assert licenses == {"legacy-pkg": (), "requests": ("Apache 2.0",)}


def test_npm_packages_of_node_modules_directories(inventory: Inventory) -> None:
    assert keys(inventory, "npm") == [("@scope/pkg", "2.0.0"), ("inner", "0.1.0"),
                                      ("left-pad", "1.3.0")]
    licenses = {c.name: c.licenses for c in inventory.components if c.ecosystem == "npm"}
    assert licenses["left-pad"] == ("WTFPL",)


def test_go_program_no_package_owns(inventory: Inventory) -> None:
    assert keys(inventory, "go") == [("example.com/server", "v1.2.3"),
                                     ("golang.org/x/net", "v0.17.0"), ("stdlib", "1.21.5")]


def test_files_no_package_owns_largest_first(inventory: Inventory) -> None:
    unowned = [info.path for info in inventory.unowned]
    assert unowned[0] == "/app/big.bin"
    assert set(unowned) == {"/app/big.bin", "/app/config.yaml", "/usr/lib/os-release",
                            "/etc/dpkg/dpkg.cfg.d/docker"}
    sizes = {f"/{e.name}": e.size for e in [*BASE, *APP]}
    assert inventory.unowned_bytes == sum(sizes[path] for path in unowned)
    assert [info.size for info in inventory.unowned] == sorted(
        (sizes[path] for path in unowned), reverse=True)


def test_packages_whose_files_are_gone(inventory: Inventory) -> None:
    # libc.so.6 was deleted by a later layer; bash's CHANGES.gz and man page were never
    # unpacked (path-exclude), which is not a mismatch; /bin/bash is /usr/bin/bash
    gone = {m.component.name: m.missing for m in inventory.mismatches}
    assert gone == {"libc6": ("/lib/x86_64-linux-gnu/libc.so.6",)}


def test_a_directory_is_a_root_filesystem_unless_it_is_an_oci_layout(tmp_path: Path) -> None:
    assert is_root_directory(str(tmp_path))
    assert is_root_directory("dir:/anything")
    (tmp_path / "oci-layout").write_text("{}")
    assert not is_root_directory(str(tmp_path))
    with pytest.raises(ImageError, match="not a directory"):
        inventory_of(f"dir:{tmp_path / 'missing'}")


def test_links_resolve_inside_the_root_and_loops_end(tmp_path: Path) -> None:
    from slimline.inventory.rootfs import DirRootFs

    root = tmp_path / "root"
    (root / "usr" / "lib").mkdir(parents=True)
    (root / "usr" / "lib" / "os-release").write_text("ID=inside\n")
    outside = tmp_path / "os-release"
    outside.write_text("ID=outside\n")
    (root / "etc").mkdir()
    # an absolute link means the image's /usr/lib/os-release, never the host's file
    (root / "etc" / "os-release").symlink_to("/usr/lib/os-release")
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "escape").symlink_to("../../../../os-release")
    fs = DirRootFs(root)
    assert fs.resolve("/etc/os-release") == "/usr/lib/os-release"
    assert fs.resolve("/loop1/x") in ("/loop1/x", "/loop2/x")  # gives up, does not hang
    assert fs.resolve("/escape") == "/os-release"  # `..` stops at the root
    assert fs.read(lambda p: True, 1024) == {"/usr/lib/os-release": b"ID=inside\n"}
    inventory = inventory_of(str(root))
    assert inventory.os is not None and inventory.os.id == "inside"


class _CountingRootFs(DirRootFs):
    """A directory whose reads are recorded: which paths each pass asked for."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.reads: list[set[str]] = []

    def read(self, wanted: Callable[[str], bool], max_bytes: int) -> dict[str, bytes]:
        out = super().read(wanted, max_bytes)
        self.reads.append(set(out))
        return out


@pytest.fixture
def licensed_root(tmp_path: Path) -> Path:
    root = write_directory(tmp_path / "rootfs")
    # a machine-readable copyright file (Debian's own, for bash)
    (root / "usr/share/doc/bash/copyright").write_bytes(
        (Path(__file__).parent / "data" / "bash.copyright").read_bytes())
    return root


def test_without_licences_no_copyright_file_is_read(licensed_root: Path) -> None:
    full = take_inventory(_CountingRootFs(licensed_root))
    bash = next(c for c in full.components if c.name == "bash")
    assert bash.licenses[:1] == ("GPL-3+",)
    fs = _CountingRootFs(licensed_root)
    bare = take_inventory(fs, licenses=False)
    assert all(c.licenses == () for c in bare.components if c.ecosystem == "deb")
    assert not any(path.endswith("/copyright") for read in fs.reads for path in read)
    # everything else is the same inventory
    assert [(c.ecosystem, c.name, c.version) for c in bare.components] == \
        [(c.ecosystem, c.name, c.version) for c in full.components]


def test_without_programs_the_files_are_not_read_again(licensed_root: Path) -> None:
    fs = _CountingRootFs(licensed_root)
    inventory = take_inventory(fs, programs=False)
    assert len(fs.reads) == 1  # the databases' pass only
    assert not [c for c in inventory.components if c.ecosystem == "go"]
    assert "/app/server" in {info.path for info in inventory.unowned}
    with_programs = _CountingRootFs(licensed_root)
    take_inventory(with_programs)
    assert len(with_programs.reads) == 2 and "/app/server" in with_programs.reads[1]
