#   escape   =   `
FROM mcr.microsoft.com/windows/servercore:ltsc2019
RUN echo spaced directive `
    works
