"""``slimline sbom``'s input: an image (any form ``analyze`` reads) or a root filesystem
directory."""

from __future__ import annotations

from pathlib import Path

from slimline.errors import ImageError
from slimline.image import Platform, ProgressSink, naming_errors, open_image
from slimline.inventory.collect import Inventory, take_inventory
from slimline.inventory.rootfs import DirRootFs, ImageRootFs

#: ``dir:PATH`` names a root filesystem even when it looks like an OCI layout
DIR_PREFIX = "dir:"


def is_root_directory(target: str) -> bool:
    """Whether ``target`` is a root filesystem directory rather than an image reference:
    ``dir:PATH``, or a directory that is not an OCI image layout."""
    if target.startswith(DIR_PREFIX):
        return True
    path = Path(target)
    return path.is_dir() and not (path / "oci-layout").is_file() \
        and not (path / "index.json").is_file()


def inventory_of(target: str, platform: str | None = None,
                 progress: ProgressSink | None = None) -> Inventory:
    """The inventory of an image or a root filesystem directory; raises
    :class:`~slimline.errors.SlimlineError` when it cannot be read."""
    if is_root_directory(target):
        root = Path(target.removeprefix(DIR_PREFIX))
        if not root.is_dir():
            raise ImageError(f"{root}: not a directory")
        inventory = take_inventory(DirRootFs(root))
        inventory.target = str(root)
        return inventory
    wanted = Platform.parse(platform) if platform else None
    with naming_errors(target), open_image(target, platform=wanted, progress=progress) as image:
        if wanted is not None and image.config.os and not wanted.matches(image.platform):
            raise ImageError(f"{target}: the image is {image.platform}, not {wanted}")
        inventory = take_inventory(ImageRootFs(image))
        inventory.target = target
        inventory.kind = "image"
        inventory.image_id = image.config.digest
        inventory.platform = str(image.platform)
    return inventory
