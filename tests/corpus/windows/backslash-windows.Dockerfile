FROM mcr.microsoft.com/windows/servercore:ltsc2022

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]

# no escape directive: backslash continues lines and Windows paths use forward slashes
ENV GO_VERSION 1.22.5
RUN $url = ('https://example.invalid/go{0}.windows-amd64.zip' -f $env:GO_VERSION); \
	Invoke-WebRequest -Uri $url -OutFile 'go.zip'; \
	\
	Expand-Archive go.zip -DestinationPath C:/; \
	Remove-Item go.zip -Force; \
	\
# a comment inside the continuation, like docker-library's Windows images
	go version

WORKDIR C:/gopath
CMD ["go", "version"]
