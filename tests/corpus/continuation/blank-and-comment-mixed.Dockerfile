FROM alpine:3.20
RUN apk add --no-cache \
    bash \

# between packages
    curl \
    
	# tab-indented comment after a whitespace-only line
    jq
LABEL a=1 \
# comment in a label continuation
      b=2
