FROM	debian:bookworm-slim	AS	base
	RUN	apt-get update \
		&& apt-get install -y --no-install-recommends tini \
		&& rm -rf /var/lib/apt/lists/*
	ENV	TZ=UTC	LANG=C.UTF-8
	LABEL	team=infra
	# tab-indented comment
	ENTRYPOINT	["tini",	"--"]
	CMD	["sleep",	"infinity"]
