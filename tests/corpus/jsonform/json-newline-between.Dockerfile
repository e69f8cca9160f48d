FROM alpine:3.20
CMD ["a", \
     'b', \
     "c"]
CMD    [    "lots"   ,    "of"   ,   "space"   ]
