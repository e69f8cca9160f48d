FROM alpine:3.20
# no space between the keyword and the JSON array: the keyword becomes
# `CMD["echo",` which is not an instruction BuildKit knows
CMD["echo", "hi"]
