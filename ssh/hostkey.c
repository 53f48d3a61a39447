/*
 * The SSH host key: one Ed25519 key in an OpenSSH private key file, mode
 * 0600, owned by the user the server runs as.  It is created exclusively
 * (never overwritten: replacing a host key makes every client warn about a
 * man in the middle) and refused at start-up if anyone else could read it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssh/srv_int.h"

int
srv_hostkey_create(const char *path, char *err, size_t errlen)
{
	ssh_key key = NULL;
	char *b64 = NULL;
	int fd = -1, r = -1;
	size_t len, off = 0;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
		snprintf(err, errlen, "cannot generate an Ed25519 host key");
		goto out;
	}
	if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &b64) !=
	    SSH_OK) {
		snprintf(err, errlen, "cannot encode the host key");
		goto out;
	}
	/*
	 * O_EXCL: refuse to overwrite (and to follow a planted symlink);
	 * 0600 from the first byte, so the key is never readable by others,
	 * not even for a moment (exporting to a path with
	 * ssh_pki_export_privkey_file would create it with the umask's mode).
	 */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create host key \"%s\": %s", path,
			 errno == EEXIST ? "it already exists"
					 : strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0600) != 0) {
		snprintf(err, errlen, "cannot set the mode of \"%s\": %s", path,
			 strerror(errno));
		goto out_unlink;
	}
	len = strlen(b64);
	while (off < len) {
		ssize_t n = write(fd, b64 + off, len - off);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			snprintf(err, errlen, "cannot write \"%s\": %s", path,
				 strerror(errno));
			goto out_unlink;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write \"%s\": %s", path,
			 strerror(errno));
		goto out_unlink;
	}
	r = 0;
	goto out;
out_unlink:
	unlink(path);
out:
	if (fd >= 0) {
		close(fd);
	}
	if (b64 != NULL) {
		explicit_bzero(b64, strlen(b64));
		ssh_string_free_char(b64);
	}
	ssh_key_free(key);
	return r;
}

int
srv_hostkey_load(const char *path, ssh_key *out, char *err, size_t errlen)
{
	struct stat st;
	ssh_key key = NULL;

	*out = NULL;
	if (path == NULL || *path == '\0') {
		snprintf(err, errlen, "no host key file given");
		return -1;
	}
	if (lstat(path, &st) != 0) {
		snprintf(err, errlen, "cannot use host key \"%s\": %s", path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen,
			 "host key \"%s\" is not a regular file", path);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errlen,
			 "host key \"%s\" has mode %04o; it must not be "
			 "readable by group or others (chmod 600)",
			 path, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen,
			 "host key \"%s\" belongs to uid %ld, not to the "
			 "server's uid %ld",
			 path, (long)st.st_uid, (long)geteuid());
		return -1;
	}
	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) !=
	    SSH_OK) {
		snprintf(err, errlen, "cannot read host key \"%s\"", path);
		return -1;
	}
	if (ssh_key_type(key) != SSH_KEYTYPE_ED25519) {
		snprintf(err, errlen,
			 "host key \"%s\" is %s; only Ed25519 is accepted",
			 path, ssh_key_type_to_char(ssh_key_type(key)));
		ssh_key_free(key);
		return -1;
	}
	*out = key;
	return 0;
}
