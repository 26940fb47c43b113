"""Uploads through the Python binding against the emulator: speech to text, voice cloning and
knowledge files given as paths, ``pathlib.Path``, ``(filename, bytes)``, binary file objects and
``elizacloud.File``; the limits the core checks before sending; ``request(files=, form=)``; the
asyncio client; and the CLI commands generated for the upload rows."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from binding_support import _clean_env, cloud, cloud_kwargs, make_cloud  # noqa: F401
from test_cli import Cli

import elizacloud
from elizacloud import File

MP3 = b"ID3\x04" + b"\x55" * 796  # what the route sniffs as audio/mpeg


@pytest.fixture
def memo(tmp_path: Path) -> Path:
    path = tmp_path / "memo.mp3"
    path.write_bytes(MP3)
    return path


def test_transcribe_takes_every_form_of_file(cloud, emulator, memo):
    def heard(audio, **kwargs) -> str:
        return str(cloud.voices.transcribe(audio, **kwargs)["transcript"])

    assert heard(str(memo), language_code="en") == "800 bytes of audio/mpeg audio from memo.mp3 (en)"
    assert heard(memo) == "800 bytes of audio/mpeg audio from memo.mp3"
    assert heard(("take.mp3", MP3)) == "800 bytes of audio/mpeg audio from take.mp3"
    assert heard(("take.ogg", io.BytesIO(MP3), "audio/mpeg")).endswith("from take.ogg")
    assert heard(File(data=MP3, filename="b.mp3")).endswith("from b.mp3")
    assert heard(File(path=memo, filename="renamed.mp3")).endswith("from renamed.mp3")
    assert emulator.request_count("POST /api/v1/voice/stt") == 6


def test_files_are_refused_before_sending(cloud, emulator, tmp_path, memo):
    with pytest.raises(elizacloud.InvalidArgumentError, match="bytes need a file name"):
        cloud.voices.transcribe(MP3)  # type: ignore[arg-type]
    with pytest.raises(elizacloud.InvalidArgumentError, match="give either path or data"):
        File()
    with pytest.raises(elizacloud.InvalidArgumentError, match="binary mode"):
        cloud.voices.transcribe(("a.mp3", io.StringIO("text")))  # type: ignore[arg-type]
    with pytest.raises(elizacloud.ConfigIOError, match="no such file"):
        cloud.voices.transcribe(tmp_path / "missing.mp3")
    with pytest.raises(elizacloud.InvalidArgumentError, match="not a type the cloud takes"):
        cloud.voices.transcribe(("notes.txt", b"hello"))
    six = [("a.txt", b"a")] * 6
    with pytest.raises(elizacloud.InvalidArgumentError, match=r"at most 5 files at a time \(6"):
        cloud.knowledge.upload(six)
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(5 * 1024 * 1024 + 1)
    with pytest.raises(elizacloud.InvalidArgumentError, match="at most 5 MB per file"):
        cloud.knowledge.upload([big])
    assert emulator.request_count("POST /api/v1/voice/stt") == 0
    assert emulator.request_count("POST /api/v1/knowledge/upload-file") == 0


def test_clone_and_knowledge_upload(cloud, tmp_path, memo):
    cloned = cloud.voices.clone("Guide", "instant", [memo, ("b.mp3", MP3)],
                                settings={"stability": 0.4})
    assert cloned["voice"]["sampleCount"] == 2
    assert "Guide" in [v["name"] for v in cloud.voices.list()["voices"]]

    notes = tmp_path / "notes.md"
    notes.write_text("Comets have tails of dust and ice.")
    uploaded = cloud.knowledge.upload([notes, ("extra.txt", b"Nothing to see.")])
    assert uploaded["successCount"] == 2
    assert cloud.knowledge.query("comets tails")["results"][0]["content"].startswith("Comets")


def test_request_sends_files_and_form_fields(cloud, memo):
    response = cloud.request("POST", "/api/v1/voice/stt", files={"audio": memo},
                             form={"languageCode": "fr"})
    assert response.status == 200
    assert response.json()["transcript"].endswith("from memo.mp3 (fr)")
    with pytest.raises(elizacloud.InvalidArgumentError, match="not several"):
        cloud.request("POST", "/api/v1/voice/stt", files={"audio": memo}, json={"a": 1})
    with pytest.raises(elizacloud.InvalidArgumentError, match="mapping"):
        cloud.request("POST", "/api/v1/voice/stt", files=[memo])  # type: ignore[typeddict-item]


def test_async_uploads(emulator, api_key, tmp_path, memo):
    async def main() -> None:
        kwargs = cloud_kwargs(emulator, tmp_path, api_key=api_key)
        async with elizacloud.AsyncCloud(emulator.url, **kwargs) as cloud:
            heard = await cloud.voices.transcribe(("m.mp3", MP3), language_code="de")
            assert heard["transcript"].endswith("from m.mp3 (de)")
            done = await cloud.knowledge.upload([("a.csv", b"x,y\n1,2\n")])
            assert done["successCount"] == 1

    asyncio.run(asyncio.wait_for(main(), 60))


def test_cli_upload_commands(emulator, api_key, tmp_path, memo):
    cli = Cli(emulator, tmp_path)
    cli.config.write_text(json.dumps({"cloud": {"apiKey": api_key}}))
    heard = cli.json("voices", "transcribe", str(memo), "--language-code", "en")
    assert heard["transcript"] == "800 bytes of audio/mpeg audio from memo.mp3 (en)"
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text("alpha")
    b.write_text("beta")
    assert cli.json("knowledge", "upload", str(a), str(b))["successCount"] == 2
    cloned = cli.json("voices", "clone", "Cli voice", "professional", str(memo), str(memo))
    assert cloned["voice"]["sampleCount"] == 2
    raw = cli.json("api", "POST", "/api/v1/voice/stt", "--file", f"audio={memo}",
                   "--form", "languageCode=it")
    assert raw["data"]["transcript"].endswith("(it)")
    refused = cli.run("knowledge", "upload", str(tmp_path / "nope.txt"), code=1)
    assert "no such file" in refused.stderr
