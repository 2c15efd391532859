"""Re-encode one picture in a process of its own, under a hard memory ceiling.

Run as ``python -I image_worker.py CEILING_BYTES CPU_SECONDS``: the picture arrives on
standard input (already checked from its header by ``proposals.images``), the clean copy
leaves on standard output, preceded by one line with its extension ("jpg" or "png") and the
process's peak resident memory in bytes (``VmHWM``, which starts afresh at exec). The
address-space limit makes a picture that decodes bigger than its header said (or a decoder
bug) end in a ``MemoryError`` here, not in the web or Celery worker that asked; the CPU limit
ends a decoder that spins. Only Pillow and the standard library are imported, so the process
starts quickly and the ceiling is spent on the picture.

Exit codes: 0 done, 2 not a picture Pillow can read, 3 out of memory.
"""

import io
import resource
import sys

MAX_SIDE = 1600


def _limit(ceiling: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def reencode(data: bytes) -> tuple[bytes, str]:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        # JPEG can decode straight at a reduced scale: a fraction of the memory.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.load()
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        out = io.BytesIO()
        # A new image, pixels only: no EXIF, comments, ICC profiles or other chunks survive.
        if has_alpha:
            clean = Image.new("RGBA", image.size)
            clean.paste(image.convert("RGBA"))
            clean.save(out, format="PNG", optimize=True)
            return out.getvalue(), "png"
        clean = Image.new("RGB", image.size)
        clean.paste(image.convert("RGB"))
        clean.save(out, format="JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg"


def _peak_bytes() -> int:
    """This process's peak resident memory (Linux ``VmHWM``; 0 where it cannot be read)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> int:
    ceiling, cpu_seconds = int(sys.argv[1]), int(sys.argv[2])
    data = sys.stdin.buffer.read()
    _limit(ceiling, cpu_seconds)
    try:
        content, extension = reencode(data)
    except MemoryError:
        return 3
    except Exception:  # noqa: BLE001 - any decoder failure means "not a picture we can read"
        return 2
    header = f"{extension} {_peak_bytes()}\n".encode()
    sys.stdout.buffer.write(header + content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
