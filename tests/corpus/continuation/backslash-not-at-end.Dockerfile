FROM alpine:3.20
# backslashes in the middle of a line are literal characters
RUN printf 'a\\b\tc\n' > /tmp/x && sed -e 's/\\/\//g' /tmp/x
RUN echo "escaped \" quote" && echo \$HOME
ENV WINDOWS_PATH=C:\\Program\ Files
# a line ending in an escaped escape token (two backslashes) is not continued
RUN echo "line ends with two backslashes" \\
RUN echo "so the line above was not continued"
# three backslashes: BuildKit does not continue this line either
RUN echo three \\\
RUN echo "separate instruction"
