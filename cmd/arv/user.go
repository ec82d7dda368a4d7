package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/arv-project/arv"
)

const userUsage = `user add --username NAME --name "FULL NAME" --role ROLE [--db FILE | --postgres DSN]
       user password --username NAME [--db FILE | --postgres DSN]

Adds a user to the operations database, or sets a user's password. The
password is read from the first line of standard input; with none, a
random one is made and printed. Bootstrap the first administrator with
"arv user add --role administrator". Roles: call_handler, itfc, tfc, sfc,
armed_officer, planner, administrator.`

func runUser(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "password" && args[0] != "-h" && args[0] != "--help") {
		return usagef("user: give add or password")
	}
	sub := args[0]
	if sub == "-h" || sub == "--help" {
		sub = "add"
	} else {
		args = args[1:]
	}
	fs := m.newFlagSet("user "+sub, userUsage)
	sf := addStoreFlags(fs)
	username := fs.String("username", "", "sign-in `name`")
	name := fs.String("name", "", "the user's full `name`")
	role := fs.String("role", "", "`role`: call_handler, itfc, tfc, sfc, armed_officer, planner, administrator")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *username == "" {
		return usagef("--username is required")
	}
	if sub == "add" && (*name == "" || *role == "") {
		return usagef("--name and --role are required")
	}
	pw, generated, err := readPassword(m)
	if err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	sys := arv.NewContextWithUser(ctx, arv.SystemUser)
	if sub == "add" {
		u, err := st.CreateUser(sys, arv.NewUser{Username: *username, Name: *name, Role: arv.Role(*role), Password: pw})
		if err != nil {
			return fmt.Errorf("%s", arv.ErrorMessage(err))
		}
		fmt.Fprintf(m.Stdout, "added %s (%s) as %s on %s\n", u.Username, u.Name, u.Role.Title(), st.Where)
	} else {
		if err := st.SetPassword(sys, *username, pw); err != nil {
			return fmt.Errorf("%s", arv.ErrorMessage(err))
		}
		fmt.Fprintf(m.Stdout, "password set for %s on %s; their sessions are ended\n", *username, st.Where)
	}
	if generated {
		fmt.Fprintf(m.Stdout, "password: %s\n", pw)
	}
	return nil
}

// readPassword reads a password from the first line of stdin, or makes one
// when stdin is a terminal or empty.
func readPassword(m *Main) (pw string, generated bool, err error) {
	if f, ok := m.Stdin.(*os.File); ok && isTerminal(f) {
		return arv.NewPassword(), true, nil
	}
	if m.Stdin != nil {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line != "" {
			return line, false, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, err
		}
	}
	return arv.NewPassword(), true, nil
}
