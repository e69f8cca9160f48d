FROM alpine:3.20
COPY a.txt /dst/
COPY a.txt b.txt c.txt /dst/
COPY ["file with spaces.txt", "/dst/"]
COPY [ "x", "y", "/dst/" ]
COPY *.go /src/
COPY cmd/?ain.go /src/
COPY [abc]*.txt /dst/
COPY dir/ /dst/dir/
COPY . /app
COPY . .
COPY ./relative ./dest
COPY /abs/path/in/context /dst/abs
COPY $HOME/file /dst/
