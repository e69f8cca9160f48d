FROM bash:5
RUN [ -f /etc/os-release ] && cat /etc/os-release
RUN [[ "$BASH_VERSION" == 5* ]] && echo bash5
CMD [ "$HOME" != "" ] && echo home set
