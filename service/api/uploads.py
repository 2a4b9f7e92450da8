"""Reading an uploaded file within the size limit of the settings."""

from __future__ import annotations

from fastapi import UploadFile

from service.problems import Problem


def too_large(limit: int) -> Problem:
    """413 naming the limit in MB."""
    return Problem(
        413,
        "文件过大",
        f"上传文件不能超过 {limit / 1024 / 1024:.0f} MB：请分成几个文件分别上传。",
    )


async def read_upload(file: UploadFile, limit: int) -> tuple[bytes, str]:
    """The file's bytes and name; 413 past ``limit``, 400 when empty."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    if not data:
        raise Problem(400, "文件为空", "上传的文件没有内容：请选择填好的 .xlsx 或 .csv 文件。")
    name = file.filename or ""
    if not name.lower().endswith((".xlsx", ".csv", ".txt", ".xlsm")) and data[:2] != b"PK":
        raise Problem(415, "不支持的文件类型", "请上传 .xlsx 或 .csv 文件（可先下载模板填写）。")
    return data, name


__all__ = ["read_upload", "too_large"]
