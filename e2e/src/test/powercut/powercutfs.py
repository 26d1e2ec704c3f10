#!/usr/bin/python3
"""A power-cut file system for tests (issue 18).

Mounts MOUNTPOINT as a pass-through to a backing directory and remembers, beside it, the *durable* state: what
a machine would still find on its disk after losing power. A command on stdin ("cut") makes the power go: the
backing directory is rebuilt from the durable state only, everything else is forgotten.

The model (what is durable when) -- strict POSIX, the minimum ext4 data=ordered guarantees:

  * At mount, everything in the backing directory is durable.
  * File data: the content of a file (inode) is durable as it was at its last fsync/fdatasync. Data written,
    or a truncate done, since then is lost at a cut. A file never fsynced has durable content of length 0.
  * Directory entries: the entries of a directory (name -> inode) are durable as they were at the last
    fsync of that directory. Entries created, renamed in or out, or removed since then are undone at a cut.
    This covers mkdir: a new directory exists after a cut only when its parent was fsynced after the mkdir,
    and a file in it is reachable only when every directory on its path was.
  * A file's fsync makes its data durable, not its name (POSIX; ext4 usually commits the name too, because
    its journal commit carries the parent's change -- we do not count on that).
  * Attributes (mode, times, owner) are passed through and not tracked: the element does not rely on them.

Stricter than ext4 data=ordered: ext4 commits its journal every few seconds, so on a real disk an unsynced
rename or mkdir usually survives (and auto_da_alloc flushes data replaced by rename); this file system never
makes anything durable without an explicit fsync. What survives here survives on ext4, XFS and btrfs alike.

Tearing ("cut tear"): additionally, the last unsynced write of each file is kept in part -- a prefix cut at a
random 512-byte boundary -- as a disk that wrote some sectors of it before the power went. Write order within a
file is otherwise not modelled.

Protocol on stdin/stdout, one line each: after mounting it prints "mounted"; "cut" or "cut tear" answers
"cut <files> <dirs>" (what the rebuilt tree holds) once the durable state is all that is visible; "stats"
answers "stats <fsyncs> <dirfsyncs>". End of stdin unmounts and leaves the visible tree in BACKING/data. Every operation holds one lock, so a cut never
sees half an operation; open handles from before a cut fail with EIO afterwards (the process that held them
is dead by then anyway: the test kills it first).

Usage: powercutfs.py BACKING MOUNTPOINT
"""
import errno
import os
import random
import shutil
import sys
import threading

try:
    import fusepy as fuse  # Debian's python3-fusepy
except ImportError:
    import fuse  # pip's fusepy

FuseOSError = fuse.FuseOSError


class PowerCutFs(fuse.Operations):
    def __init__(self, backing):
        self.base = os.path.abspath(backing)
        self.generation = 0
        self.big_lock = threading.RLock()
        self.fsyncs = 0
        self.dirfsyncs = 0
        self.next_id = 0
        for stale in os.listdir(self.base):
            if stale.startswith(("gen-", "store-")):  # a previous mount that was killed
                shutil.rmtree(os.path.join(self.base, stale))
        self._reset_state(self._new_root_dir())
        self._adopt_existing()

    # ---- durable state ----

    def _new_root_dir(self):
        self.generation += 1
        return os.path.join(self.base, "gen-%d" % self.generation)

    def _reset_state(self, root):
        self.root = root
        # backing inode -> our id of that file or directory. Backing inode numbers are reused once a file is
        # gone, while its durable entry may still name it, so the durable state is keyed by ids never reused.
        self.ids = {}
        # id -> path of a copy of its durable content in the store (absent: durable content is empty)
        self.content = {}
        # directory id -> {name: (id, is_dir)} as of its last fsync
        self.entries = {}
        # id -> (offset, bytes) of the last write since its fsync, for tearing
        self.last_write = {}
        # file handles from before the last cut: they point into a tree that no longer exists
        self.handles = set()
        self.store = os.path.join(self.base, "store-%d" % self.generation)
        os.makedirs(self.store, exist_ok=True)

    def _adopt_existing(self):
        """Everything already in BACKING/data at mount is durable (a previous mount leaves its tree there)."""
        data = os.path.join(self.base, "data")
        os.makedirs(data, exist_ok=True)
        os.rename(data, self.root)
        self._snapshot_tree()

    def _snapshot_tree(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            self._snapshot_dir(dirpath)
            for f in filenames:
                self._snapshot_file(os.path.join(dirpath, f))

    def _snapshot_dir(self, real):
        entries = {}
        for name in os.listdir(real):
            st = os.lstat(os.path.join(real, name))
            entries[name] = (self._id(st.st_ino), os.path.isdir(os.path.join(real, name)))
        self.entries[self._id(os.lstat(real).st_ino)] = entries

    def _snapshot_file(self, real, fd=None):
        ino = self._id(os.fstat(fd).st_ino if fd is not None else os.lstat(real).st_ino)
        copy = os.path.join(self.store, str(ino))
        with open(copy + ".new", "wb") as out:
            if fd is None:
                with open(real, "rb") as src:
                    shutil.copyfileobj(src, out)
            else:
                offset = 0
                while True:
                    chunk = os.pread(fd, 1 << 20, offset)
                    if not chunk:
                        break
                    out.write(chunk)
                    offset += len(chunk)
        os.replace(copy + ".new", copy)
        self.content[ino] = copy
        self.last_write.pop(ino, None)

    def cut(self, tear):
        """Power cut: rebuild a fresh tree from the durable state only and make it the visible one."""
        with self.big_lock:
            old_root, old_store = self.root, self.store
            old_content, old_entries, old_writes = self.content, self.entries, self.last_write
            self._old_ids = self.ids
            for fh in list(self.handles):
                try:
                    os.close(fh)
                except OSError:
                    pass
            new_root = self._new_root_dir()
            self._reset_state(new_root)
            os.makedirs(new_root)
            counts = [0, 0]
            rng = random.Random()

            def build(dir_ino, real):
                for name, (ino, is_dir) in old_entries.get(dir_ino, {}).items():
                    target = os.path.join(real, name)
                    if is_dir:
                        os.mkdir(target)
                        counts[1] += 1
                        build(ino, target)
                        continue
                    with open(target, "wb") as out:
                        if ino in old_content:
                            with open(old_content[ino], "rb") as src:
                                shutil.copyfileobj(src, out)
                        if tear and ino in old_writes:
                            offset, data = old_writes[ino]
                            keep = rng.randint(0, len(data) // 512) * 512
                            if keep:
                                out.seek(offset)
                                out.write(data[:keep])
                    counts[0] += 1

            build(self._old_ids[os.lstat(old_root).st_ino], new_root)
            shutil.rmtree(old_root)
            shutil.rmtree(old_store)
            self._snapshot_tree()  # the rebuilt tree is the durable state, as at mount
            return counts

    # ---- helpers ----

    def _real(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def _check(self, fh):
        if fh not in self.handles:
            raise FuseOSError(errno.EIO)

    def _id(self, ino):
        """Our id of a backing inode; one seen for the first time (a file or directory at mount) gets one."""
        if ino not in self.ids:
            self.ids[ino] = self._fresh(ino)
        return self.ids[ino]

    def _fresh(self, ino):
        """A new id for a just created inode (its number may be a freed one's)."""
        self.next_id += 1
        self.ids[ino] = self.next_id
        self.content.pop(self.next_id, None)
        return self.next_id

    # ---- operations: pass through, under the lock ----

    def __call__(self, op, *args):
        with self.big_lock:
            try:
                return super().__call__(op, *args)
            except OSError as e:
                if isinstance(e, FuseOSError):
                    raise
                raise FuseOSError(e.errno or errno.EIO)

    def init(self, path):
        print("mounted", flush=True)

    def getattr(self, path, fh=None):
        st = os.lstat(self._real(path))
        return {k: getattr(st, k) for k in ("st_atime", "st_ctime", "st_gid", "st_mode", "st_mtime", "st_nlink",
                                             "st_size", "st_uid", "st_ino")}

    def access(self, path, amode):
        if not os.access(self._real(path), amode):
            raise FuseOSError(errno.EACCES)

    def readdir(self, path, fh):
        return [".", ".."] + os.listdir(self._real(path))

    def statfs(self, path):
        st = os.statvfs(self._real(path))
        return {k: getattr(st, k) for k in ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree",
                                             "f_files", "f_flag", "f_frsize", "f_namemax")}

    def chmod(self, path, mode):
        os.chmod(self._real(path), mode)

    def chown(self, path, uid, gid):
        os.chown(self._real(path), uid, gid)

    def utimens(self, path, times=None):
        os.utime(self._real(path), times)

    def readlink(self, path):
        return os.readlink(self._real(path))

    def mkdir(self, path, mode):
        real = self._real(path)
        os.mkdir(real, mode)
        self.entries[self._fresh(os.lstat(real).st_ino)] = {}  # its own entries: none durable yet

    def rmdir(self, path):
        os.rmdir(self._real(path))

    def unlink(self, path):
        os.unlink(self._real(path))

    def rename(self, old, new):
        os.rename(self._real(old), self._real(new))

    def link(self, target, source):
        os.link(self._real(source), self._real(target))

    def symlink(self, target, source):
        os.symlink(source, self._real(target))
        self._fresh(os.lstat(self._real(target)).st_ino)

    def open(self, path, flags):
        fh = os.open(self._real(path), flags)
        self.handles.add(fh)
        return fh

    def create(self, path, mode, fi=None):
        fh = os.open(self._real(path), os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)
        self._fresh(os.fstat(fh).st_ino)  # durable content: none yet
        self.handles.add(fh)
        return fh

    def read(self, path, size, offset, fh):
        self._check(fh)
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        self._check(fh)
        written = os.pwrite(fh, data, offset)
        self.last_write[self._id(os.fstat(fh).st_ino)] = (offset, bytes(data[:written]))
        return written

    def truncate(self, path, length, fh=None):
        if fh is not None and fh in self.handles:
            os.ftruncate(fh, length)
        else:
            os.truncate(self._real(path), length)

    def flush(self, path, fh):
        self._check(fh)

    def release(self, path, fh):
        if fh in self.handles:
            self.handles.discard(fh)
            os.close(fh)

    def fsync(self, path, datasync, fh):
        self._check(fh)
        os.fsync(fh)
        self._snapshot_file(None, fh)
        self.fsyncs += 1

    def opendir(self, path):
        return 0

    def releasedir(self, path, fh):
        return 0

    def fsyncdir(self, path, datasync, fh):
        self._snapshot_dir(self._real(path))
        self.dirfsyncs += 1


def control(fs):
    """Reads commands from stdin until it closes, then unmounts."""
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "cut":
            files, dirs = fs.cut(tear="tear" in words[1:])
            print("cut %d %d" % (files, dirs), flush=True)
        elif words[0] == "stats":
            with fs.big_lock:
                print("stats %d %d" % (fs.fsyncs, fs.dirfsyncs), flush=True)
        else:
            print("error unknown command " + words[0], flush=True)
    os.system("fusermount -u -z '%s' 2>/dev/null || umount -l '%s'" % (MOUNTPOINT, MOUNTPOINT))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    BACKING, MOUNTPOINT = sys.argv[1], sys.argv[2]
    fs = PowerCutFs(BACKING)
    threading.Thread(target=control, args=(fs,), daemon=True).start()
    # no kernel caching of names or attributes: after a cut the kernel must ask again; hard_remove so an
    # unlinked open file is not kept as a visible .fuse_hidden* file
    fuse.FUSE(fs, MOUNTPOINT, foreground=True, nothreads=False, entry_timeout=0, attr_timeout=0,
              negative_timeout=0, hard_remove=True, big_writes=True, default_permissions=True)
    # unmounted: what was visible stays in BACKING/data for the next mount
    os.rename(fs.root, os.path.join(fs.base, "data"))
    shutil.rmtree(fs.store)
