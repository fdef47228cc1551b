#!/usr/bin/env python3
"""Builds the image archives the images_*.sh tests load, from a busybox rootfs folder.

  images_archives.py docker OUT ROOTFS NAME   legacy `docker save` layout (<id>/layer.tar)
  images_archives.py oci OUT ROOTFS NAME      OCI image layout, gzip + zstd layers
  images_archives.py bad-KIND OUT ROOTFS      an OCI layout with one defect (see BAD below)

Each good image has three layers: the rootfs; a layer adding /data/gone.txt, /data/kept.txt and
/cache/{a,b}; and a layer deleting /data/gone.txt (whiteout) and making /cache opaque (with
/cache/new). Two images built from the same ROOTFS share the base layer byte for byte.
"""
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile

def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()

def add(tf, name, data=b"", **kw):
    ti = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(ti, k, v)
    if ti.type == tarfile.REGTYPE:
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
    else:
        tf.addfile(ti)

def tar_of(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            add(tf, *e[:2], **(e[2] if len(e) > 2 else {}))
    return buf.getvalue()

def base_layer(rootfs):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        def reset(ti):
            ti.mtime = 0  # the same bytes every time: the layer is shared between images
            ti.uname = ti.gname = ""
            return ti
        tf.add(rootfs, arcname=".", filter=reset)
    return buf.getvalue()

D = {"type": tarfile.DIRTYPE, "mode": 0o755}

def middle_layer():
    return tar_of([("data", b"", D), ("data/gone.txt", b"doomed\n"), ("data/kept.txt", b"kept\n"),
                   ("cache", b"", D), ("cache/a", b"a\n"), ("cache/b", b"b\n"),
                   ("data/hard", b"", {"type": tarfile.LNKTYPE, "linkname": "data/kept.txt"})])

def top_layer():
    return tar_of([("data", b"", D), ("data/.wh.gone.txt", b""), ("cache", b"", D),
                   ("cache/.wh..wh..opq", b""), ("cache/new", b"new\n")])

def config(diff_ids):
    return json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
                       "config": {"Cmd": ["sh"], "Env": ["PATH=/bin", "FROM_IMAGE=1"]},
                       "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()

def write_tar(out, files):
    with tarfile.open(out, "w") as tf:
        for name, data in files:
            add(tf, name, data)

def docker_archive(out, layers, name):
    files, paths = [], []
    for i, l in enumerate(layers):
        files.append((f"{i:064x}/layer.tar", l))
        paths.append(f"{i:064x}/layer.tar")
    cfg = config([sha(l) for l in layers])
    files.append((sha(cfg)[7:] + ".json", cfg))
    files.append(("manifest.json", json.dumps([{"Config": sha(cfg)[7:] + ".json",
                                                "RepoTags": [name], "Layers": paths}]).encode()))
    write_tar(out, files)

def zstd(b):
    return subprocess.run(["zstd", "-q", "-c"], input=b, stdout=subprocess.PIPE, check=True).stdout

def oci_archive(out, layers, name, compress=(gzip.compress, zstd), layer_types=None, mutate=None):
    types = ["application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar+zstd"]
    blobs, descs = {}, []
    for i, l in enumerate(layers):
        c = compress[i % 2](l) if compress else l
        t = (layer_types or types)[i % 2] if compress else "application/vnd.oci.image.layer.v1.tar"
        blobs[sha(c)] = c
        descs.append({"mediaType": t, "digest": sha(c), "size": len(c)})
    cfg = config([sha(l) for l in layers])
    blobs[sha(cfg)] = cfg
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": sha(cfg), "size": len(cfg)}, "layers": descs}).encode()
    blobs[sha(man)] = man
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(man), "size": len(man),
        "annotations": {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": "latest"}}]}
    files = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", json.dumps(index).encode())]
    files += [("blobs/sha256/" + d[7:], b) for d, b in blobs.items()]
    if mutate:
        files = mutate(files, descs)
    write_tar(out, files)
    return sha(man)

# Each bad archive: an OCI layout whose top layer (or structure) carries one defect.
BAD = {
    "dotdot": lambda: tar_of([("../evil", b"x")]),
    "absolute": lambda: tar_of([("/abs-evil", b"x")]),
    "symlink": lambda: tar_of([("link", b"", {"type": tarfile.SYMTYPE, "linkname": "/tmp"}),
                               ("link/berth-escape", b"pwned")]),
    "symlink-rel": lambda: tar_of([("link", b"", {"type": tarfile.SYMTYPE, "linkname": "../../../../../../tmp"}),
                                   ("link/berth-escape", b"pwned")]),
    "hardlink": lambda: tar_of([("hl", b"", {"type": tarfile.LNKTYPE, "linkname": "../../../../etc/passwd"})]),
    "hardlink-symlink": lambda: tar_of([("s", b"", {"type": tarfile.SYMTYPE, "linkname": "/etc/passwd"}),
                                        ("hl", b"", {"type": tarfile.LNKTYPE, "linkname": "s"})]),
}

def main():
    kind, out, rootfs = sys.argv[1], sys.argv[2], sys.argv[3]
    name = sys.argv[4] if len(sys.argv) > 4 else "bad:latest"
    good = [base_layer(rootfs), middle_layer(), top_layer()]
    if kind == "docker":
        docker_archive(out, good, name)
    elif kind == "oci":
        print(oci_archive(out, good, name))
    elif kind[4:] in BAD:
        oci_archive(out, [good[0], BAD[kind[4:]]()], name, compress=None)
    elif kind == "bad-digest":
        def corrupt(files, descs):
            d = descs[1]["digest"][7:]
            return [(n, b + b"corrupt" if n.endswith(d) else b) for n, b in files]
        oci_archive(out, good, name, mutate=corrupt)
    elif kind == "bad-missing":
        def drop(files, descs):
            d = descs[1]["digest"][7:]
            return [(n, b) for n, b in files if not n.endswith(d)]
        oci_archive(out, good, name, mutate=drop)
    elif kind == "bad-mediatype":
        oci_archive(out, good, name, layer_types=["application/vnd.oci.image.layer.v1.tar+gzip",
                                                  "application/x-unknown-layer"])
    elif kind == "bad-diffid":
        oci_archive(out, [good[0], middle_layer()], name, compress=None,
                    mutate=lambda files, descs: files)
    else:
        sys.exit("unknown kind " + kind)

main()
