#!/bin/sh
# make run: a demo data directory (created once) served on 127.0.0.1:2222.
set -eu
bin=$1
data=${NOMDESK_DATA:-./nomdesk-data}
port=${NOMDESK_PORT:-2222}
if [ ! -e "$data" ]; then
	"$bin" --data "$data" init --demo
else
	echo "using existing data directory $data (demo logins were printed when it was created;"
	echo "remove it to start over)"
fi
echo
echo "connect with:  ssh -p $port LOGIN@127.0.0.1     (e.g. ssh -p $port pingcheng_hr@127.0.0.1)"
echo
exec "$bin" --data "$data" serve --listen "127.0.0.1:$port"
