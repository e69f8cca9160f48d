FROM example/onbuild-node:20
# all work happens in the parent's ONBUILD triggers
EXPOSE 3000
