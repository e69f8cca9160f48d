FROM alpine:3.20
# all of these are valid JSON string arrays
CMD []
CMD [ ]
CMD ["unicode \u00e9 escape", "tab\tescape", "quote \" inside", "slash \/ escaped"]
ENTRYPOINT ["/bin/sh","-c"]
RUN ["/bin/sh", "-c", "echo $HOME"]
SHELL ["/bin/sh", "-c"]
VOLUME ["/a","/b"]
