"""An uploaded policy file turned into text: a Word document (.docx) unpacked within size caps, or plain
text in the encoding named or detected (UTF-8, UTF-16 with its byte order mark, GB18030), or refused with
a message an editor understands (`UnreadableText`). Bytes in, text out: nothing about what the text says.
"""

import io
import zipfile
import zlib

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What a .docx may unpack to. A policy's Word file unpacks to a few MB at most (its text, a few images);
# a zip bomb of a few hundred KB would unpack to gigabytes and take the worker down with it. The sizes
# the file declares are checked first, and each part is read with a bound, so a lying header cannot
# exceed them either.
MAX_DOCX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_DOCX_PARTS = 1000
# Encodings tried, in order, when none is named: a byte order mark says which; UTF-8 is strict enough to
# fail on anything else; GB18030 (a superset of GBK and GB2312) is what Chinese Windows writes.
DETECTED_ENCODINGS = ("utf-8", "gb18030")


class UnreadableText(Exception):
    """A file, or a pasted text, that gives no text to read, with a message for the editor."""


def read_upload(name: str, data: bytes, encoding: str | None = None) -> str:
    """The text of an uploaded file: a Word document (.docx) or plain text in `encoding`, or in the
    first of UTF-8 and GB18030 that reads it. Refuses an empty, binary or unreadable file."""
    if not data:
        raise UnreadableText(f"文件“{name}”是空的。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableText(f"文件“{name}”太大（超过{MAX_UPLOAD_BYTES // 1024 // 1024} MB），请只导入政策正文。")
    lower = name.lower()
    if lower.endswith(".docx") or data[:2] == b"PK":
        return read_docx(name, data)
    if lower.endswith((".doc", ".pdf", ".wps", ".rtf")) or data[:4] in (b"%PDF", b"\xd0\xcf\x11\xe0"):
        raise UnreadableText(f"无法读取“{name}”：只能导入 .txt 或 .docx 文件，请在 Word 或 WPS 中另存为其中一种。")
    return check_text(decode_text(name, data, encoding))


def read_docx(name: str, data: bytes) -> str:
    """The paragraphs of a Word document, one a line (tables' cells after them, row by row)."""
    import docx  # here, not at the top: only an upload of a .docx needs python-docx and its lxml

    try:
        document = docx.Document(io.BytesIO(_unpacked_within_limits(name, data)))
    except UnreadableText:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as error:
        raise UnreadableText(
            f"无法读取 Word 文件“{name}”（{type(error).__name__}）：文件可能已损坏，或不是 .docx。"
        ) from None
    except Exception as error:  # python-docx raises its own exceptions on malformed parts
        raise UnreadableText(
            f"无法读取 Word 文件“{name}”（{type(error).__name__}）：请另存为 .docx 或 .txt 后再试。"
        ) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
    return check_text("\n".join(lines))


def _unpacked_within_limits(name: str, data: bytes) -> bytes:
    """The .docx packed again, uncompressed, from parts read with a bound: what python-docx then reads
    holds at most MAX_DOCX_PARTS parts and MAX_DOCX_UNPACKED_BYTES, whatever the file claims."""
    too_big = UnreadableText(
        f"Word 文件“{name}”解压后超过 {MAX_DOCX_UNPACKED_BYTES // 1024 // 1024} MB 或多于 {MAX_DOCX_PARTS} 个部件，"
        "不像一份政策正文（可能是压缩炸弹）：请另存为 .txt 后再导入。"
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_DOCX_PARTS or sum(part.file_size for part in parts) > MAX_DOCX_UNPACKED_BYTES:
            raise too_big
        left = MAX_DOCX_UNPACKED_BYTES
        unpacked = io.BytesIO()
        with zipfile.ZipFile(unpacked, "w", zipfile.ZIP_STORED) as copy:
            for part in parts:
                with archive.open(part) as stream:
                    content = stream.read(left + 1)
                if len(content) > left:
                    raise too_big
                left -= len(content)
                copy.writestr(part.filename, content)
    return unpacked.getvalue()


def decode_text(name: str, data: bytes, encoding: str | None = None) -> str:
    """The text of `data` in `encoding`, or in the one detected. A NUL byte means a binary file only when
    the encoding is guessed: UTF-16 without a byte order mark is full of them, and an encoding the editor
    names is tried as named (check_text then refuses any control character it decodes to)."""
    if not encoding and b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableText(
            f"“{name}”不是文本文件（含有二进制内容），请导入 .txt 或 .docx；如果它是 UTF-16 文本，请把编码选为 UTF-16。"
        )
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise UnreadableText(f"不认识的编码“{encoding}”，可用 utf-8、gb18030 等。") from None
        except UnicodeDecodeError as error:
            raise UnreadableText(
                f"“{name}”不是 {encoding} 编码（第{error.start}字节处无法解码）：请换一种编码，如 gb18030 或 utf-8。"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for candidate in DETECTED_ENCODINGS:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise UnreadableText(f"无法判断“{name}”的编码（不是 UTF-8，也不是 GB18030）：请另存为 UTF-8 文本后再试。")


def check_text(text: str) -> str:
    """The text, if there is any to read; control characters other than line breaks and tabs mean a
    wrong encoding or a binary file."""
    if not text.strip():
        raise UnreadableText("文本是空的：请粘贴政策正文，或选择含有正文的文件。")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t")
    if controls or "\ufffd" in text:
        raise UnreadableText("文本中有无法显示的字符，可能是编码不对或不是文本文件：请确认编码（如 gb18030）后再试。")
    return text
