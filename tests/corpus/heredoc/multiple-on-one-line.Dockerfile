# syntax=docker/dockerfile:1
FROM busybox:1.36

# two heredocs feed two file descriptors of one command
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
first file
FILE1
second file
FILE2

# three heredocs on one COPY line
COPY <<a.txt <<b.txt <<c.txt /data/
alpha
a.txt
bravo
b.txt
charlie
c.txt

RUN cat /data/a.txt /data/b.txt /data/c.txt /file1 /file2
