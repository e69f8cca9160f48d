# syntax=docker/dockerfile:1.4
FROM ubuntu:24.04
ENV GREETING=hello

# quoted delimiter: no expansion happens inside the body
RUN <<"EOF" bash
echo "literal: $GREETING ${HOME} $(whoami)"
printf '%s\n' "backslash \ stays"
EOF

# unquoted delimiter: the body is expanded by the build
RUN <<EOF bash
echo "expanded: $GREETING"
EOF
