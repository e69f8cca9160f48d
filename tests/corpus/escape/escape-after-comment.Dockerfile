# Build file for the Windows agent
# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo the directive above follows a plain comment so it is ignored \
    and the backslash continues this line
