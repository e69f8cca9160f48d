FROM alpine:3.20
# JSON that is not an array, or an array that does not close, stays shell form
CMD {"command": "serve"}
CMD [1,2
CMD "just a quoted string"
ENTRYPOINT ["a" "b"]
